package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.ServerServices;
import io.tcpfleet.operator.model.TcpServiceResources;
import io.tcpfleet.operator.reconciler.TcpServiceReconciler;

/** The metrics Service; shares the Service informer (see the workflow), told apart by name. */
public class MetricsServiceDependent extends EventfulDependent<Service> {

    public MetricsServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(TcpService tcps, Context<TcpService> context) {
        return ServerServices.metrics(tcps, existingHasClusterIp(tcps, context));
    }

    /** Looked up by name in the shared informer's cache, as the owner reference may not be there yet. */
    private static boolean existingHasClusterIp(TcpService tcps, Context<TcpService> context) {
        var services = (InformerEventSource<Service, TcpService>)
                context.eventSourceRetriever().getEventSourceFor(Service.class, TcpServiceReconciler.SERVICE);
        return services.get(new ResourceID(
                        TcpServiceResources.metricsServiceName(tcps),
                        tcps.getMetadata().getNamespace()))
                .map(ServerServices::hasClusterIp)
                .orElse(false);
    }
}
