package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.LinkedHashMap;
import java.util.Map;

/** Owns every name and label the operator puts on the children of a TcpService. */
public final class TcpServiceResources {

    public static final String SERVICE_LABEL = "tcpfleet.io/service";
    public static final String COMPONENT_LABEL = "tcpfleet.io/component";
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String SERVER_NAME = "tcpfleet-server";
    public static final String OPERATOR_NAME = "tcpfleet-operator";
    public static final String CONFIG_HASH_ANNOTATION = "tcpfleet.io/config-hash";

    /** Informers watch only children carrying these labels. */
    public static final String CHILD_SELECTOR = SERVICE_LABEL + "," + MANAGED_BY_LABEL + "=" + OPERATOR_NAME;

    public static final String CONTAINER_NAME = "server";
    public static final String TCP_PORT_NAME = "tcp";
    public static final String ADMIN_PORT_NAME = "admin";
    public static final String METRICS_PORT_NAME = "metrics";
    public static final String METRICS_COMPONENT = "metrics";

    private TcpServiceResources() {}

    public static String deploymentName(TcpService tcps) {
        return tcps.getMetadata().getName();
    }

    public static String serviceName(TcpService tcps) {
        return tcps.getMetadata().getName();
    }

    public static String metricsServiceName(TcpService tcps) {
        return tcps.getMetadata().getName() + "-metrics";
    }

    public static String pdbName(TcpService tcps) {
        return tcps.getMetadata().getName();
    }

    public static String serviceMonitorName(TcpService tcps) {
        return tcps.getMetadata().getName();
    }

    public static String prometheusRuleName(TcpService tcps) {
        return tcps.getMetadata().getName();
    }

    /** Labels on every child. Never app.kubernetes.io/instance: Argo CD would prune our children. */
    public static Map<String, String> labels(TcpService tcps) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, SERVER_NAME);
        labels.put(MANAGED_BY_LABEL, OPERATOR_NAME);
        labels.put(SERVICE_LABEL, tcps.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> selectorLabels(TcpService tcps) {
        return Map.of(SERVICE_LABEL, tcps.getMetadata().getName());
    }

    /** The scale subresource's status.selector, in label-selector string form. */
    public static String selector(TcpService tcps) {
        return SERVICE_LABEL + "=" + tcps.getMetadata().getName();
    }

    public static String endpoint(TcpService tcps, int port) {
        return serviceName(tcps) + "." + tcps.getMetadata().getNamespace() + ".svc:" + port;
    }

    /**
     * The TcpService as the controlling owner of a child (kubectl shows "Controlled By"), blocking its deletion
     * until the child is gone in foreground deletion.
     */
    public static OwnerReference controllerReference(TcpService tcps) {
        return new OwnerReferenceBuilder()
                .withApiVersion(tcps.getApiVersion())
                .withKind(tcps.getKind())
                .withName(tcps.getMetadata().getName())
                .withUid(tcps.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    static ObjectMeta metadata(TcpService tcps, String name) {
        return metadata(tcps, name, labels(tcps));
    }

    static ObjectMeta metadata(TcpService tcps, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(tcps.getMetadata().getNamespace())
                .withLabels(labels)
                .build();
    }
}
