package io.tcpfleet.operator.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.tcpfleet.operator.model.EffectiveSpec;
import io.tcpfleet.server.config.GoDuration;
import io.tcpfleet.server.rebalance.RebalanceRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a fleet needs a rebalance round now, and what each pod is to shed: the pods above the fleet's average
 * ask their excess to go, so that (with the shedding pods out of the Service) the clients reconnect to the pods
 * below it. EMQX's trigger: the busiest pod holds more than an absolute and a relative threshold over the
 * emptiest. Pure: the pods and their counts come in, the decision goes out.
 */
public final class RebalancePlan {

    /**
     * When a round on a pod is over at the latest (RFC 3339), written beside it: until then a pod that reads not
     * ready is shedding, not failing, and the TcpService stays Ready.
     */
    public static final String UNTIL = "tcpfleet.io/rebalance-until";

    /**
     * How long the kubelet may take to pass a new annotation to the downward API file: its sync period (1 min)
     * and a margin; the server reads the file every second after that.
     */
    static final Duration PROPAGATION = Duration.ofMinutes(2);

    private static final Pattern VALUE = Pattern.compile("^(\\d{1,9}):\\d+:\\d+$");

    /** spec.rebalance, durations parsed. */
    public record Settings(int absoluteThreshold, int relativeThresholdPercent, int ratePerSecond, Duration readyFor) {}

    /** A round: what each pod sheds (pod name -> connections), and why, for the Event. */
    public record Round(long round, Map<String, Long> shed, String message) {

        /**
         * The annotation's value for one pod of the round. The busiest sheds at {@code ratePerSecond}, the others in
         * proportion, so that every pod of the round is done at the same time: a pod done early would read Ready
         * again and take back the clients the others still shed.
         */
        public String value(String pod, int ratePerSecond) {
            long most = shed.values().stream().mapToLong(Long::longValue).max().orElse(1);
            long n = shed.get(pod);
            long rate = Math.max(1, (n * ratePerSecond + most - 1) / most);
            return round + ":" + n + ":" + rate;
        }
    }

    private RebalancePlan() {}

    /**
     * Why no round can start yet, before any pod is asked for its count: the fleet is not all Ready (a rollout,
     * a scale, a round under way: its pods read not ready), or a pod has not been Ready for readyFor.
     */
    public static Optional<String> notSettled(Collection<Pod> pods, int replicas, Settings s, Instant now) {
        if (replicas < 2) {
            return Optional.of("fewer than 2 replicas");
        }
        long ready = pods.stream().filter(p -> readySince(p).isPresent()).count();
        if (pods.size() != replicas || ready != replicas) {
            return Optional.of(ready + " of " + pods.size() + " pods Ready, " + replicas + " wanted");
        }
        Instant settled = now.minus(s.readyFor());
        return pods.stream()
                .filter(p -> readySince(p).orElseThrow().isAfter(settled))
                .findFirst()
                .map(p -> "pod " + p.getMetadata().getName() + " Ready for less than " + s.readyFor());
    }

    /**
     * The round that evens out {@code counts} (pod name -> connections, for every pod), numbered after the highest
     * round any pod carries; empty while the fleet is within the thresholds.
     */
    public static Optional<Round> plan(Collection<Pod> pods, Map<String, Long> counts, Settings s) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long min = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
        if (counts.size() < 2
                || max - min <= s.absoluteThreshold()
                || max * 100 <= min * (100L + s.relativeThresholdPercent())) {
            return Optional.empty();
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long average = (total + counts.size() - 1) / counts.size();
        Map<String, Long> shed = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getValue() > average)
                .forEach(e -> shed.put(e.getKey(), e.getValue() - average));
        long round = pods.stream().mapToLong(RebalancePlan::round).max().orElse(0) + 1;
        return Optional.of(new Round(
                round,
                shed,
                String.format(
                        "round %d: %d of %d pods shed %d connections, the busiest at %d/s, down to the average %d"
                                + " (busiest %d, emptiest %d)",
                        round,
                        shed.size(),
                        counts.size(),
                        shed.values().stream().mapToLong(Long::longValue).sum(),
                        s.ratePerSecond(),
                        average,
                        max,
                        min)));
    }

    /**
     * The latest a round written at {@code now} ends: the annotation reaches the server, the pod reads not ready for
     * the drain's delay, the busiest pod asks its excess at the rate, and the last one asked finishes within the
     * grace.
     */
    public static Instant until(Round round, int ratePerSecond, EffectiveSpec spec, Instant now) {
        long most =
                round.shed().values().stream().mapToLong(Long::longValue).max().orElse(0);
        return now.plus(PROPAGATION)
                .plus(GoDuration.parse(spec.drainDelay()))
                .plusSeconds((most + ratePerSecond - 1) / ratePerSecond)
                .plus(GoDuration.parse(spec.maxAgeGrace()))
                .truncatedTo(ChronoUnit.SECONDS);
    }

    /** A pod that reads not ready because a round asked it to shed, and not past that round's end. */
    public static boolean shedding(Pod pod, Instant now) {
        if (readySince(pod).isPresent() || pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String until = Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.<String, String>of())
                .get(UNTIL);
        try {
            return until != null && now.isBefore(Instant.parse(until));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The round a pod's annotation names; 0 when it has none (or not one of ours). */
    static long round(Pod pod) {
        String value = Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.<String, String>of())
                .get(RebalanceRequest.ANNOTATION);
        Matcher m = value == null ? null : VALUE.matcher(value);
        return m != null && m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    /** When a pod became Ready; empty while it is not, or is terminating. */
    public static Optional<Instant> readySince(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
            return Optional.empty();
        }
        List<PodCondition> conditions =
                Objects.requireNonNullElse(pod.getStatus().getConditions(), List.of());
        return conditions.stream()
                .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .map(c -> c.getLastTransitionTime() == null ? Instant.EPOCH : Instant.parse(c.getLastTransitionTime()));
    }
}
