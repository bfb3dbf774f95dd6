package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.ServerDisruptionBudget;
import io.tcpfleet.operator.model.TcpServiceResources;

@KubernetesDependent(informer = @Informer(labelSelector = TcpServiceResources.CHILD_SELECTOR))
public class PodDisruptionBudgetDependent extends ChildDependent<PodDisruptionBudget> {

    public static final String NAME = "pdb";

    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(TcpService tcps, Context<TcpService> context) {
        return ServerDisruptionBudget.build(tcps);
    }
}
