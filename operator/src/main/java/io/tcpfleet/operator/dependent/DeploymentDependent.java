package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.config.OperatorConfig;
import io.tcpfleet.operator.model.ServerDeployment;
import io.tcpfleet.operator.model.TcpServiceResources;
import jakarta.inject.Inject;

@KubernetesDependent(informer = @Informer(labelSelector = TcpServiceResources.CHILD_SELECTOR))
public class DeploymentDependent extends ChildDependent<Deployment> {

    public static final String NAME = "deployment";

    @Inject
    OperatorConfig config;

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(TcpService tcps, Context<TcpService> context) {
        return ServerDeployment.build(tcps, config.serverImage());
    }
}
