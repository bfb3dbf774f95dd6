package io.tcpfleet.server.handler.proxy;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before retry {@code n} (0-based) wait a uniformly random time
 * in {@code [0, min(cap, base * 2^n)]}, which spreads the retries of many clients instead of having
 * them hit a recovering upstream in waves.
 * <p>
 * Part of the server's API for other modules (the load client retries with it): it depends on the
 * JDK only, so the server's jar can be used without its dependencies. Immutable; thread-safe when
 * the random source is.
 */
public final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    private final LongUnaryOperator randomBelowInclusive;

    /**
     * @param base the ceiling of the first retry, positive
     * @param cap the largest ceiling, at least {@code base}
     * @param randomBelowInclusive {@code applyAsLong(bound)} returns a uniformly random value in
     *     {@code [0, bound]}, e.g. {@code bound -> ThreadLocalRandom.current().nextLong(bound + 1)}
     * @throws IllegalArgumentException unless {@code 0 < base <= cap}
     */
    public Backoff(Duration base, Duration cap, LongUnaryOperator randomBelowInclusive) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.randomBelowInclusive = randomBelowInclusive;
    }

    /** The ceiling for retry {@code attempt}: {@code min(cap, base * 2^attempt)}, without overflow. */
    private long ceilingNanos(int attempt) {
        if (attempt >= 62 || baseNanos > (capNanos >> Math.min(attempt, 62))) {
            return capNanos;
        }
        return Math.min(capNanos, baseNanos << attempt);
    }

    /** How long to wait before retry {@code attempt} (0 for the first retry, any non-negative int), in nanoseconds. */
    public long delayNanos(int attempt) {
        return randomBelowInclusive.applyAsLong(ceilingNanos(attempt));
    }
}
