package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.ServerServices;
import io.tcpfleet.operator.model.TcpServiceResources;

/** The client-facing Service. Its informer (named after this dependent) also serves the metrics Service. */
@KubernetesDependent(informer = @Informer(labelSelector = TcpServiceResources.CHILD_SELECTOR))
public class ServiceDependent extends ChildDependent<Service> {

    public static final String NAME = "service";

    public ServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(TcpService tcps, Context<TcpService> context) {
        return ServerServices.traffic(tcps);
    }
}
