package io.tcpfleet.operator.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Ranks a fleet's Ready pods by their connections just before its replicas go down, so the ReplicaSet controller
 * removes the emptiest ({@link DeletionCosts}). Best effort: a pod whose write fails keeps the cost it had, and the
 * scale-down goes ahead.
 */
@Singleton
public final class ScaleDownCosts {

    private static final Logger LOG = Logger.getLogger(ScaleDownCosts.class);

    private final PodConnections connections;

    @Inject
    public ScaleDownCosts(PodConnections connections) {
        this.connections = connections;
    }

    /** Writes the deletion costs of {@code pods} (a fleet's pods, from the informer's cache): one patch per pod at most. */
    public void rank(KubernetesClient client, Collection<Pod> pods) {
        List<Pod> candidates = DeletionCosts.candidates(pods);
        Map<String, Long> counts = connections.read(candidates);
        Map<String, Pod> byName = candidates.stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
        List<DeletionCosts.Write> writes = DeletionCosts.plan(candidates, counts);
        for (DeletionCosts.Write write : writes) {
            patch(client, byName.get(write.pod()), write.cost());
        }
        LOG.infof(
                "before a scale-down: %d of %d Ready pods told their connections, %d deletion costs to write",
                counts.size(), candidates.size(), writes.size());
    }

    /**
     * One JSON merge patch carrying the cost and its record, on the resourceVersion the decision saw: a pod changed
     * meanwhile (a user's own cost just set, say) answers 409 and keeps what it has.
     */
    private static void patch(KubernetesClient client, Pod pod, int cost) {
        String value = Integer.toString(cost);
        Map<String, Object> patch = Map.of(
                "metadata",
                Map.of(
                        "resourceVersion",
                        pod.getMetadata().getResourceVersion(),
                        "annotations",
                        Map.of(DeletionCosts.COST, value, DeletionCosts.WRITTEN, value)));
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .resource(pod) // by name, Fabric8 would GET the pod first
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            client.getKubernetesSerialization().asJson(patch));
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "deletion cost of pod %s/%s not written (it keeps its own): %s",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
        }
    }
}
