package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.ServerServices;

/** The metrics Service; shares the Service informer (see the workflow), told apart by name. */
public class MetricsServiceDependent extends ChildDependent<Service> {

    public static final String NAME = "metrics-service";

    public MetricsServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(TcpService tcps, Context<TcpService> context) {
        return ServerServices.metrics(tcps);
    }
}
