package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches the CRDs of optional kinds (ServiceMonitor, PrometheusRule), one informer per CRD name, so
 * a Prometheus Operator installed later is noticed without asking the API server per TcpService and
 * without requeueing every TcpService to look again: when a CRD becomes Established (or goes away),
 * every TcpService is reconciled once. Each informer lists and watches a single object by name
 * (field selector metadata.name), which RBAC can grant by resourceNames.
 */
public final class OptionalCrds {

    private OptionalCrds() {}

    /** The event source watching one CRD; it is named after the CRD. */
    public static InformerEventSource<CustomResourceDefinition, TcpService> eventSource(
            String crdName, EventSourceContext<TcpService> context) {
        var config = InformerEventSourceConfiguration.from(CustomResourceDefinition.class, TcpService.class)
                .withName(crdName)
                .withWatchAllNamespaces() // cluster-scoped, even when the operator watches some namespaces
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", crdName)))
                .withSecondaryToPrimaryMapper(crd -> allTcpServices(context))
                .withOnAddFilter(OptionalCrds::established)
                .withOnUpdateFilter(OptionalCrds::establishedChanged)
                .build();
        return new InformerEventSource<>(config, context);
    }

    /** Whether the CRD is in the watch's cache and Established: its kind can be served and watched. */
    static boolean established(Context<TcpService> context, String crdName) {
        var source = (InformerEventSource<CustomResourceDefinition, TcpService>)
                context.eventSourceRetriever().getEventSourceFor(CustomResourceDefinition.class, crdName);
        return source.get(new ResourceID(crdName))
                .map(OptionalCrds::established)
                .orElse(false);
    }

    /** Only a change of what the activation conditions see is worth reconciling every TcpService for. */
    static boolean establishedChanged(CustomResourceDefinition before, CustomResourceDefinition after) {
        return established(before) != established(after);
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Set<ResourceID> allTcpServices(EventSourceContext<TcpService> context) {
        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
