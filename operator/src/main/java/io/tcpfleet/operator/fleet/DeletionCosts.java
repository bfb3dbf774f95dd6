package io.tcpfleet.operator.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which pod deletion costs to write before a scale-down, so that the ReplicaSet controller, which deletes the Ready
 * pods of lowest {@value #COST} first, removes the emptiest pods. A pod's cost is its number of active connections; a
 * pod that did not tell its count gets the highest cost, so that a pod we know nothing of is not the one killed.
 *
 * <p>tcpfleet changes only the costs it set: it records each value it writes in {@value #WRITTEN}, and a cost that
 * differs from that record (or has none) is the user's own and wins.
 */
public final class DeletionCosts {

    /** Read by the ReplicaSet controller: among Ready pods, the lowest goes first (absent = 0). */
    public static final String COST = "controller.kubernetes.io/pod-deletion-cost";

    /** The cost tcpfleet last wrote on the pod: while {@value #COST} still equals it, the cost is tcpfleet's. */
    public static final String WRITTEN = "tcpfleet.io/pod-deletion-cost";

    /** For a pod whose connections are unknown; one above every count. */
    static final int UNKNOWN = Integer.MAX_VALUE;

    /** A cost to write on a pod. */
    public record Write(String pod, int cost) {}

    private DeletionCosts() {}

    /** The pods a scale-down chooses among by cost: Ready and not terminating (the others go first anyway). */
    public static List<Pod> candidates(Collection<Pod> pods) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(Readiness::isPodReady)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    /**
     * The writes that rank {@code pods} by {@code connections} (pod name -> count, unknown pods absent): one per pod
     * whose cost is tcpfleet's and not already right, none for a pod carrying a user's own cost.
     */
    public static List<Write> plan(List<Pod> pods, Map<String, Long> connections) {
        List<Write> writes = new ArrayList<>();
        for (Pod pod : pods) {
            if (hasUsersOwnCost(pod)) {
                continue;
            }
            String current = annotations(pod).get(COST);
            String name = pod.getMetadata().getName();
            int cost = cost(connections.get(name));
            if (!Integer.toString(cost).equals(current)) {
                writes.add(new Write(name, cost));
            }
        }
        return writes;
    }

    static int cost(Long connections) {
        return connections == null ? UNKNOWN : (int) Math.min(connections, UNKNOWN - 1L);
    }

    /** A cost that tcpfleet did not write (or that someone changed since) is the user's. */
    static boolean hasUsersOwnCost(Pod pod) {
        Map<String, String> annotations = annotations(pod);
        String cost = annotations.get(COST);
        return cost != null && !cost.equals(annotations.get(WRITTEN));
    }

    private static Map<String, String> annotations(Pod pod) {
        return Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of());
    }
}
