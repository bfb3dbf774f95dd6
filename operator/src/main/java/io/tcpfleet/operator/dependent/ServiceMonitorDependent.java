package io.tcpfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.config.MonitoringLabels;
import io.tcpfleet.operator.model.ServerServiceMonitor;
import io.tcpfleet.operator.model.TcpServiceResources;
import jakarta.inject.Inject;

/** Active only while the ServiceMonitor CRD exists (ServiceMonitorCrdPresent); its informer starts then. */
@KubernetesDependent(informer = @Informer(labelSelector = TcpServiceResources.CHILD_SELECTOR))
public class ServiceMonitorDependent extends ChildDependent<ServiceMonitor> {

    public static final String NAME = "servicemonitor";

    @Inject
    MonitoringLabels monitoringLabels;

    public ServiceMonitorDependent() {
        super(ServiceMonitor.class);
    }

    @Override
    protected ServiceMonitor desired(TcpService tcps, Context<TcpService> context) {
        return ServerServiceMonitor.build(tcps, monitoringLabels.labels());
    }
}
