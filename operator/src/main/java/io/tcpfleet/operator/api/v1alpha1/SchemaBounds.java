package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/**
 * Length bounds the annotations cannot reach: on map values and inside the embedded Kubernetes types
 * (env, tolerations, topology spread, affinity, resources). The API server estimates a CEL rule's cost
 * from them and refuses a CRD whose rules could cost too much; each bound is at least what Kubernetes
 * itself accepts there, or more than a pod spec needs. Runs at build time only.
 */
public class SchemaBounds implements CRDPostProcessor {

    /** A qualified name: 253 for the prefix, '/', 63 for the name. */
    static final long QUALIFIED_NAME = 317;

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1) {
            v1.getSpec().getVersions().forEach(v -> bound(v.getSchema().getOpenAPIV3Schema()));
        }
        return crd;
    }

    private static void bound(JSONSchemaProps root) {
        JSONSchemaProps spec = root.getProperties().get("spec");
        JSONSchemaProps pod = spec.getProperties().get("pod");
        for (JSONSchemaProps labels : new JSONSchemaProps[] {
            property(pod, "labels"), property(pod, "nodeSelector"), property(spec, "monitoring", "labels")
        }) {
            labels.getAdditionalProperties().getSchema().setMaxLength(63L);
        }

        JSONSchemaProps env = property(pod, "env").getItems().getSchema();
        property(env, "name").setMaxLength(4096L);
        JSONSchemaProps valueFrom = property(env, "valueFrom");
        property(valueFrom, "fieldRef", "fieldPath").setMaxLength(QUALIFIED_NAME + 64);
        property(valueFrom, "fieldRef", "apiVersion").setMaxLength(64L);
        property(valueFrom, "resourceFieldRef", "resource").setMaxLength(64L);
        property(valueFrom, "resourceFieldRef", "containerName").setMaxLength(63L);
        for (String ref : new String[] {"configMapKeyRef", "secretKeyRef"}) {
            property(valueFrom, ref, "name").setMaxLength(253L);
            property(valueFrom, ref, "key").setMaxLength(253L);
        }

        JSONSchemaProps toleration = property(pod, "tolerations").getItems().getSchema();
        property(toleration, "key").setMaxLength(QUALIFIED_NAME);
        property(toleration, "value").setMaxLength(63L);
        property(toleration, "operator").setMaxLength(16L);
        property(toleration, "effect").setMaxLength(32L);

        JSONSchemaProps spread =
                property(pod, "topologySpreadConstraints").getItems().getSchema();
        property(spread, "topologyKey").setMaxLength(QUALIFIED_NAME);
        property(spread, "whenUnsatisfiable").setMaxLength(32L);
        property(spread, "nodeAffinityPolicy").setMaxLength(16L);
        property(spread, "nodeTaintsPolicy").setMaxLength(16L);

        JSONSchemaProps affinity = property(pod, "affinity");
        for (String kind : new String[] {"podAffinity", "podAntiAffinity"}) {
            JSONSchemaProps required = property(affinity, kind, "requiredDuringSchedulingIgnoredDuringExecution");
            required.setMaxItems(32L);
            property(required.getItems().getSchema(), "topologyKey").setMaxLength(QUALIFIED_NAME);
            JSONSchemaProps preferred = property(affinity, kind, "preferredDuringSchedulingIgnoredDuringExecution");
            preferred.setMaxItems(32L);
            property(preferred.getItems().getSchema(), "podAffinityTerm", "topologyKey")
                    .setMaxLength(QUALIFIED_NAME);
        }
        JSONSchemaProps terms = property(
                affinity, "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
        terms.setMaxItems(32L);
        boundRequirements(terms.getItems().getSchema());
        JSONSchemaProps preferredNodes =
                property(affinity, "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution");
        preferredNodes.setMaxItems(32L);
        boundRequirements(property(preferredNodes.getItems().getSchema(), "preference"));

        // IANA cipher suite names are under 64 characters.
        property(spec, "tls", "ciphers").getItems().getSchema().setMaxLength(128L);

        // cpu, memory and ephemeral-storage: three entries, each a short quantity.
        for (String list : new String[] {"limits", "requests"}) {
            JSONSchemaProps map = property(spec, "resources", list);
            map.setMaxProperties(3L);
            map.getAdditionalProperties().getSchema().setMaxLength(64L);
        }
    }

    /** A node selector term: its matchExpressions and matchFields. */
    private static void boundRequirements(JSONSchemaProps term) {
        for (String list : new String[] {"matchExpressions", "matchFields"}) {
            JSONSchemaProps requirements = property(term, list);
            requirements.setMaxItems(32L);
            property(requirements.getItems().getSchema(), "operator").setMaxLength(16L);
        }
    }

    private static JSONSchemaProps property(JSONSchemaProps schema, String... path) {
        JSONSchemaProps s = schema;
        for (String name : path) {
            s = s.getProperties().get(name);
            if (s == null) {
                throw new IllegalStateException("no property " + name + " in the TcpService schema");
            }
        }
        return s;
    }
}
