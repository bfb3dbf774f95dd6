package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The CRD as it ships (crds/, the chart's crds/, the release's CRDs file): the printer columns in
 * reading order, a description on every schema node, the length bounds that keep the CEL rules within
 * the API server's cost budget ({@link SchemaBounds}), and the annotations that keep it when whatever installed it is deleted. Deleting
 * the CRD deletes every TcpService in the cluster and, through the ownerReferences, every fleet;
 * no tool should do that as a side effect of removing a release, an Application or a
 * Kustomization. Runs at build time only (quarkus.operator-sdk.crd.post-processor takes one class).
 */
public class ShippedCrd implements CRDPostProcessor {

    /**
     * Each tool's own "never delete this" switch. Helm: kept by {@code helm uninstall} and
     * upgrades even when a chart renders it as a template ({@code helm template --include-crds},
     * as Argo CD and umbrella charts do). Argo CD: never pruned when it leaves Git, never deleted
     * with its Application. Flux: never garbage-collected by its Kustomization.
     */
    public static final SortedMap<String, String> KEEP_ANNOTATIONS =
            Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
                    "helm.sh/resource-policy", "keep",
                    "argocd.argoproj.io/sync-options", "Prune=false,Delete=false",
                    "kustomize.toolkit.fluxcd.io/prune", "disabled")));

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        HasMetadata ordered = new SchemaBounds()
                .process(
                        new SchemaDescriptions().process(new PrinterColumnOrder().process(crd, crdSpecVersion)),
                        crdSpecVersion);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (ordered.getMetadata().getAnnotations() != null) {
            annotations.putAll(ordered.getMetadata().getAnnotations());
        }
        annotations.putAll(KEEP_ANNOTATIONS); // sorted: the generated file is the same every build
        ordered.getMetadata().setAnnotations(annotations);
        return ordered;
    }
}
