package io.tcpfleet.operator.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The replicas one autoscaled fleet should have, from its connections over time: the HPA's algorithm with the
 * fleet's total connections as the metric. Each sample's recommendation is ceil((connections + buffer) / target)
 * within [min, max]; a scale-up goes to the lowest recommendation of the up window, a scale-down to the highest of
 * the down window, so neither follows a short spike or dip. Not thread-safe: one fleet is reconciled at a time.
 */
final class ReplicaRecommender {

    /** What the autoscaling settings say; durations already parsed. */
    record Settings(int min, int max, int target, int buffer, Duration upWindow, Duration downWindow) {}

    private record Sample(Instant at, int replicas) {}

    private final Deque<Sample> samples = new ArrayDeque<>();
    private Instant firstSample;

    /** ceil((connections + buffer) / target) within [min, max]. */
    static int recommend(long connections, Settings s) {
        long wanted = (connections + s.buffer() + s.target() - 1) / s.target();
        return (int) Math.max(s.min(), Math.min(s.max(), wanted));
    }

    /**
     * The replicas to set now. {@code complete} is false when a Ready pod did not answer: its connections are
     * unknown, so the fleet may grow on what is known but never shrinks on it.
     */
    int next(Instant now, int current, long connections, boolean complete, Settings s) {
        int recommended = recommend(connections, s);
        if (!complete) {
            recommended = Math.max(recommended, Math.min(current, s.max()));
        }
        if (firstSample == null) {
            firstSample = now;
        }
        samples.addLast(new Sample(now, recommended));
        Duration keep = s.upWindow().compareTo(s.downWindow()) > 0 ? s.upWindow() : s.downWindow();
        while (samples.peekFirst().at().isBefore(now.minus(keep))) {
            samples.removeFirst();
        }
        int upTo = lowestSince(now.minus(s.upWindow()));
        int downTo = highestSince(now.minus(s.downWindow()));
        int next = current;
        if (next < upTo) {
            next = upTo;
        }
        // After an operator restart the history is empty: shrink only once a whole down window has been watched.
        boolean watchedDownWindow = !firstSample.isAfter(now.minus(s.downWindow()));
        if (next > downTo && watchedDownWindow) {
            next = downTo;
        }
        return Math.max(s.min(), Math.min(s.max(), next));
    }

    private int lowestSince(Instant since) {
        return samples.stream()
                .filter(x -> !x.at().isBefore(since))
                .mapToInt(Sample::replicas)
                .min()
                .orElseThrow();
    }

    private int highestSince(Instant since) {
        return samples.stream()
                .filter(x -> !x.at().isBefore(since))
                .mapToInt(Sample::replicas)
                .max()
                .orElseThrow();
    }
}
