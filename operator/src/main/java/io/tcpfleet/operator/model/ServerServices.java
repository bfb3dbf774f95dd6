package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The two Services: one for clients (tcp only, never admin) and one for Prometheus (admin as metrics). */
public final class ServerServices {

    private ServerServices() {}

    public static Service traffic(TcpService tcps) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        var meta = TcpServiceResources.metadata(tcps, TcpServiceResources.serviceName(tcps));
        if (!spec.serviceAnnotations().isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(spec.serviceAnnotations()));
        }
        boolean external = spec.serviceType() != ServiceSpec.Type.ClusterIP;
        return new ServiceBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withType(spec.serviceType().name())
                .withSelector(TcpServiceResources.selectorLabels(tcps))
                .addNewPort()
                .withName(TcpServiceResources.TCP_PORT_NAME)
                .withProtocol("TCP")
                .withPort(spec.port())
                .withTargetPort(new IntOrString(TcpServiceResources.TCP_PORT_NAME))
                .endPort()
                .withExternalTrafficPolicy(
                        external ? spec.externalTrafficPolicy().name() : null)
                .endSpec()
                .build();
    }

    /**
     * Headless: Prometheus scrapes each pod through the endpoints and never uses a virtual IP, so none
     * is allocated (the API server hands out ClusterIPs one at a time).
     */
    public static Service metrics(TcpService tcps) {
        Map<String, String> labels = metricsLabels(tcps);
        return new ServiceBuilder()
                .withMetadata(TcpServiceResources.metadata(tcps, TcpServiceResources.metricsServiceName(tcps), labels))
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("None")
                .withSelector(TcpServiceResources.selectorLabels(tcps))
                .addNewPort()
                .withName(TcpServiceResources.METRICS_PORT_NAME)
                .withProtocol("TCP")
                .withPort(TcpServiceSpec.ADMIN_PORT)
                .withTargetPort(new IntOrString(TcpServiceResources.ADMIN_PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }

    /** The metrics Service carries a component label so the ServiceMonitor selects it and only it. */
    public static Map<String, String> metricsLabels(TcpService tcps) {
        Map<String, String> labels = new LinkedHashMap<>(TcpServiceResources.labels(tcps));
        labels.put(TcpServiceResources.COMPONENT_LABEL, TcpServiceResources.METRICS_COMPONENT);
        return labels;
    }
}
