package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.PodProblems;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.util.Objects;
import java.util.Set;

/**
 * Watches the pods of the fleets, so a TcpService can say why its replicas are not ready (see {@link PodProblems}).
 * A pod belongs to the TcpService its {@code tcpfleet.io/service} label names, in its own namespace; it wakes that
 * TcpService only when the problem it shows appears, changes or goes. Its cost is one more watch (one per watched
 * namespace) and a cache of the fleets' pods only, selected by the operator's labels and kept without managedFields.
 */
public final class FleetPods {

    public static final String NAME = "fleet-pods";

    private FleetPods() {}

    public static InformerEventSource<Pod, TcpService> eventSource(EventSourceContext<TcpService> context) {
        var config = InformerEventSourceConfiguration.from(Pod.class, TcpService.class)
                .withName(NAME)
                .withLabelSelector(TcpServiceResources.CHILD_SELECTOR)
                .withSecondaryToPrimaryMapper(FleetPods::tcpService)
                .withOnAddFilter(FleetPods::showsProblem)
                .withOnUpdateFilter(FleetPods::problemChanged)
                .withOnDeleteFilter((pod, finalStateUnknown) -> showsProblem(pod));
        // The pods carry none of the operator's managedFields, so this store drops them all.
        if (OwnManagedFieldsStore.fitsOneInformerFor(
                context.getControllerConfiguration().getEffectiveNamespaces())) {
            config.withItemStore(new OwnManagedFieldsStore<>());
        }
        return new InformerEventSource<>(config.build(), context);
    }

    static Set<ResourceID> tcpService(Pod pod) {
        return Set.of(new ResourceID(
                pod.getMetadata().getLabels().get(TcpServiceResources.SERVICE_LABEL),
                pod.getMetadata().getNamespace()));
    }

    /** Readiness reaches the TcpService through the Deployment's status; only a problem is news from a pod. */
    static boolean showsProblem(Pod pod) {
        return PodProblems.of(pod).isPresent();
    }

    static boolean problemChanged(Pod after, Pod before) {
        return !Objects.equals(PodProblems.of(after), PodProblems.of(before));
    }
}
