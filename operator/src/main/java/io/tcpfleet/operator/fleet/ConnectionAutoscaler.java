package io.tcpfleet.operator.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.tcpfleet.operator.api.v1alpha1.Autoscaling;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.server.config.GoDuration;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * spec.autoscaling: every {@link #INTERVAL} it reads an autoscaled fleet's connections and says what spec.replicas
 * should be; the reconciler writes it through the scale subresource, as an HPA would, so a scale-down then goes
 * through the same emptiest-first path as any other ({@link ScaleDownCosts}). The history behind the stabilization
 * windows lives in memory, as the HPA controller's does: a restarted operator watches a whole down window before it
 * removes a pod.
 */
@Singleton
public final class ConnectionAutoscaler {

    /** How often an autoscaled fleet is read: the HPA controller's default sync period. */
    public static final Duration INTERVAL = Duration.ofSeconds(15);

    /** A history not touched for this long belongs to a deleted or no longer autoscaled TcpService. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** A change to make: spec.replicas from what it was read as, to what, and why (for the Event). */
    public record Decision(int from, int replicas, String message) {}

    private record Fleet(ReplicaRecommender recommender, Instant lastRead) {}

    private final PodConnections connections;
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();

    @Inject
    public ConnectionAutoscaler(PodConnections connections) {
        this.connections = connections;
    }

    /** A new spec.replicas for an autoscaled TcpService, if it needs one now; empty between reads. */
    public Optional<Decision> evaluate(TcpService tcps, Collection<Pod> pods, Instant now) {
        Autoscaling a = tcps.getSpec().getAutoscaling();
        String uid = tcps.getMetadata().getUid();
        Fleet fleet = fleets.get(uid);
        if (fleet != null && now.isBefore(fleet.lastRead().plus(INTERVAL).minusMillis(500))) {
            return Optional.empty(); // a pod event brought it back early: the next read is already scheduled
        }
        forgetIdle(now);
        ReplicaRecommender recommender = fleet == null ? new ReplicaRecommender() : fleet.recommender();
        fleets.put(uid, new Fleet(recommender, now));

        List<Pod> ready = DeletionCosts.candidates(pods);
        Map<String, Long> counts = connections.read(ready);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        boolean complete = counts.size() == ready.size();
        ReplicaRecommender.Settings settings = settings(a);
        int current = tcps.getSpec().getReplicas() == null ? 1 : tcps.getSpec().getReplicas();
        int next = recommender.next(now, current, total, complete, settings);
        if (next == current) {
            return Optional.empty();
        }
        return Optional.of(new Decision(
                current,
                next,
                String.format(
                        "%d -> %d replicas: %d connections on %d of %d Ready pods, + %d buffer, %d per pod"
                                + " (min %d, max %d)",
                        current,
                        next,
                        total,
                        counts.size(),
                        ready.size(),
                        settings.buffer(),
                        settings.target(),
                        settings.min(),
                        settings.max())));
    }

    static ReplicaRecommender.Settings settings(Autoscaling a) {
        return new ReplicaRecommender.Settings(
                or(a.getMinReplicas(), Autoscaling.DEFAULT_MIN_REPLICAS),
                a.getMaxReplicas(),
                a.getTargetConnectionsPerPod(),
                or(a.getBuffer(), Autoscaling.DEFAULT_BUFFER),
                GoDuration.parse(or(a.getScaleUpStabilization(), Autoscaling.DEFAULT_SCALE_UP_STABILIZATION)),
                GoDuration.parse(or(a.getScaleDownStabilization(), Autoscaling.DEFAULT_SCALE_DOWN_STABILIZATION)));
    }

    private void forgetIdle(Instant now) {
        fleets.values().removeIf(f -> f.lastRead().isBefore(now.minus(FORGET_AFTER)));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
