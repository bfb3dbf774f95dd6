package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Prometheus Operator ServiceMonitor that scrapes the metrics Service. */
public final class ServerServiceMonitor {

    public static final String CRD_NAME = "servicemonitors.monitoring.coreos.com";

    private ServerServiceMonitor() {}

    public static ServiceMonitor build(TcpService tcps) {
        return build(tcps, Map.of());
    }

    /**
     * The ServiceMonitor, labelled with the operator-wide monitoring labels under the TcpService's own.
     *
     * @param operatorLabels the operator-wide monitoring labels (tcpfleet.operator.monitoring-labels);
     *     spec.monitoring.labels win over them, the operator's own labels win over both
     */
    public static ServiceMonitor build(TcpService tcps, Map<String, String> operatorLabels) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        Map<String, String> labels = new LinkedHashMap<>(operatorLabels);
        labels.putAll(spec.monitoringLabels());
        labels.putAll(TcpServiceResources.labels(tcps));
        Map<String, String> selector = new LinkedHashMap<>(TcpServiceResources.selectorLabels(tcps));
        selector.put(TcpServiceResources.COMPONENT_LABEL, TcpServiceResources.METRICS_COMPONENT);
        return new ServiceMonitorBuilder()
                .withMetadata(TcpServiceResources.metadata(tcps, TcpServiceResources.serviceMonitorName(tcps), labels))
                .withNewSpec()
                .withSelector(
                        new LabelSelectorBuilder().withMatchLabels(selector).build())
                .addNewEndpoint()
                .withPort(TcpServiceResources.METRICS_PORT_NAME)
                .withPath("/metrics")
                .withInterval(spec.scrapeInterval())
                .endEndpoint()
                .endSpec()
                .build();
    }
}
