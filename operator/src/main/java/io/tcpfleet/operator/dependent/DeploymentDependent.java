package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.config.OperatorConfig;
import io.tcpfleet.operator.fleet.ScaleDownCosts;
import io.tcpfleet.operator.model.ServerDeployment;
import io.tcpfleet.operator.model.TcpServiceResources;
import jakarta.inject.Inject;

@KubernetesDependent(informer = @Informer(labelSelector = TcpServiceResources.CHILD_SELECTOR))
public class DeploymentDependent extends ChildDependent<Deployment> {

    public static final String NAME = "deployment";

    @Inject
    OperatorConfig config;

    @Inject
    ScaleDownCosts scaleDownCosts;

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    public Deployment update(Deployment actual, Deployment desired, TcpService tcps, Context<TcpService> context) {
        if (replicas(desired) < replicas(actual)) {
            // Before the ReplicaSet controller picks which pods to delete: it reads the costs this writes.
            scaleDownCosts.rank(context.getClient(), context.getSecondaryResources(Pod.class));
        }
        return super.update(actual, desired, tcps, context);
    }

    private static int replicas(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    @Override
    protected Deployment desired(TcpService tcps, Context<TcpService> context) {
        return ServerDeployment.build(tcps, config.serverImage());
    }
}
