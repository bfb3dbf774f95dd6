package io.tcpfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.tcpfleet.operator.model.ServerServiceMonitor;

/** Activation condition of the ServiceMonitor dependent: met once the ServiceMonitor CRD exists. */
public class ServiceMonitorCrdPresent extends CrdPresent<ServiceMonitor> {

    public ServiceMonitorCrdPresent() {
        super(ServerServiceMonitor.CRD_NAME);
    }
}
