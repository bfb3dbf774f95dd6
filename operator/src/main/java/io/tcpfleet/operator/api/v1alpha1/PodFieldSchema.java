package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;

/**
 * What the generator cannot say about the Kubernetes types embedded in spec.pod (their classes are
 * not ours to annotate), written into the CRD at build time: the keys that make volumes and mounts
 * unique (list-map keys, as Kubernetes' own PodSpec declares them), the names required, and lengths.
 * Without lengths the API server refuses PodOverrides' CEL rules as too costly (it assumes
 * strings as long as a request); without the rest it would admit a TcpService whose Deployment it
 * then refuses (a duplicate volume, a mount without a path).
 */
final class PodFieldSchema {

    static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** Linux PATH_MAX. */
    static final long MAX_PATH = 4096;

    private PodFieldSchema() {}

    static void apply(CustomResourceDefinition crd) {
        crd.getSpec().getVersions().forEach(version -> {
            JSONSchemaProps pod = version.getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec")
                    .getProperties()
                    .get("pod");
            if (pod == null) {
                return;
            }
            JSONSchemaProps volumes = pod.getProperties().get("volumes");
            listMap(volumes, "name");
            name(volumes.getItems().getSchema(), 63, DNS_LABEL);

            JSONSchemaProps mounts = pod.getProperties().get("volumeMounts");
            listMap(mounts, "mountPath");
            JSONSchemaProps mount = mounts.getItems().getSchema();
            mount.setRequired(List.of("mountPath", "name"));
            name(mount, 63, DNS_LABEL);
            mount.getProperties().get("mountPath").setMaxLength(MAX_PATH);
            mount.getProperties().get("subPath").setMaxLength(MAX_PATH);
            mount.getProperties().get("subPathExpr").setMaxLength(MAX_PATH);

            JSONSchemaProps secrets = pod.getProperties().get("imagePullSecrets");
            listMap(secrets, "name");
            name(secrets.getItems().getSchema(), 253, DNS_SUBDOMAIN);
        });
    }

    private static void listMap(JSONSchemaProps list, String key) {
        list.setXKubernetesListType("map");
        list.setXKubernetesListMapKeys(List.of(key));
    }

    private static void name(JSONSchemaProps item, long maxLength, String pattern) {
        if (item.getRequired() == null || !item.getRequired().contains("name")) {
            item.setRequired(List.of("name"));
        }
        JSONSchemaProps name = item.getProperties().get("name");
        name.setMaxLength(maxLength);
        name.setPattern(pattern);
    }
}
