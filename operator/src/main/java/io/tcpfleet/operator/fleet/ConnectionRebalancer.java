package io.tcpfleet.operator.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcpfleet.operator.api.v1alpha1.Rebalance;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.EffectiveSpec;
import io.tcpfleet.server.config.GoDuration;
import io.tcpfleet.server.rebalance.RebalanceRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * spec.rebalance: every {@link ConnectionAutoscaler#INTERVAL} it looks at a settled fleet (every pod Ready for
 * readyFor, no round started within the cooldown), reads its pods' connections and, past the thresholds, writes a
 * round ({@link RebalancePlan}) on the pods that shed: one annotation patch each, which the kubelet passes to the
 * server's --rebalance-file. The cooldown lives in memory: a restarted operator waits a whole one first.
 */
@Singleton
public final class ConnectionRebalancer {

    private static final Logger LOG = Logger.getLogger(ConnectionRebalancer.class);

    /** A fleet not looked at for this long belongs to a deleted TcpService or one that no longer rebalances. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** When its cooldown ends, when its pods were last read, when it was last looked at. */
    private record Fleet(Instant cooldownEnd, Instant lastRead, Instant lastSeen) {}

    private final PodConnections connections;
    /** By TcpService uid. */
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();

    @Inject
    public ConnectionRebalancer(PodConnections connections) {
        this.connections = connections;
    }

    /** The round to start on {@code pods} (the fleet's, from the informer's cache) now, if any. */
    public Optional<RebalancePlan.Round> evaluate(TcpService tcps, Collection<Pod> pods, Instant now) {
        Rebalance r = tcps.getSpec().getRebalance();
        String uid = tcps.getMetadata().getUid();
        fleets.values().removeIf(f -> f.lastSeen().isBefore(now.minus(FORGET_AFTER)));
        Fleet seen = fleets.get(uid);
        Fleet fleet = seen == null
                ? new Fleet(now.plus(cooldown(r)), Instant.EPOCH, now)
                : new Fleet(seen.cooldownEnd(), seen.lastRead(), now);
        fleets.put(uid, fleet);
        if (now.isBefore(fleet.cooldownEnd())
                || now.isBefore(
                        fleet.lastRead().plus(ConnectionAutoscaler.INTERVAL).minusMillis(500))) {
            return Optional.empty(); // a pod event brought it back early: the next look is already scheduled
        }
        RebalancePlan.Settings settings = settings(r);
        int replicas = tcps.getSpec().getReplicas() == null ? 1 : tcps.getSpec().getReplicas();
        if (RebalancePlan.notSettled(pods, replicas, settings, now).isPresent()) {
            return Optional.empty();
        }
        List<Pod> all = List.copyOf(pods);
        fleets.put(uid, new Fleet(fleet.cooldownEnd(), now, now));
        Map<String, Long> counts = connections.read(all);
        if (counts.size() != all.size()) {
            LOG.debugf(
                    "rebalance of %s/%s: %d of %d pods told their connections, not rebalanced on guesswork",
                    tcps.getMetadata().getNamespace(), tcps.getMetadata().getName(), counts.size(), all.size());
            return Optional.empty();
        }
        Optional<RebalancePlan.Round> round = RebalancePlan.plan(all, counts, settings);
        round.ifPresent(x -> fleets.put(uid, new Fleet(now.plus(cooldown(r)), now, now)));
        return round;
    }

    /**
     * Writes the round on each pod that sheds: one JSON merge patch of its annotation. A pod that cannot be
     * written keeps its connections; the next round, after the cooldown, sees the fleet as it then is.
     */
    public int write(KubernetesClient client, TcpService tcps, Collection<Pod> pods, RebalancePlan.Round round) {
        int rate = settings(tcps.getSpec().getRebalance()).ratePerSecond();
        String until = RebalancePlan.until(round, rate, EffectiveSpec.of(tcps.getSpec()), Instant.now())
                .toString();
        int written = 0;
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            if (!round.shed().containsKey(name)) {
                continue;
            }
            Map<String, Object> patch = Map.of(
                    "metadata",
                    Map.of(
                            "annotations",
                            Map.of(RebalanceRequest.ANNOTATION, round.value(name, rate), RebalancePlan.UNTIL, until)));
            try {
                client.pods()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .resource(pod) // by name, Fabric8 would GET the pod first
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                client.getKubernetesSerialization().asJson(patch));
                written++;
            } catch (KubernetesClientException e) {
                LOG.warnf(
                        "rebalance round %d not written on pod %s/%s: %s",
                        round.round(), pod.getMetadata().getNamespace(), name, e.getMessage());
            }
        }
        return written;
    }

    static RebalancePlan.Settings settings(Rebalance r) {
        return new RebalancePlan.Settings(
                or(r.getAbsoluteThreshold(), Rebalance.DEFAULT_ABSOLUTE_THRESHOLD),
                or(r.getRelativeThresholdPercent(), Rebalance.DEFAULT_RELATIVE_THRESHOLD_PERCENT),
                or(r.getConnectionsPerSecond(), Rebalance.DEFAULT_CONNECTIONS_PER_SECOND),
                GoDuration.parse(or(r.getReadyFor(), Rebalance.DEFAULT_READY_FOR)));
    }

    private static Duration cooldown(Rebalance r) {
        return GoDuration.parse(or(r.getCooldown(), Rebalance.DEFAULT_COOLDOWN));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
