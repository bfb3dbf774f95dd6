package io.tcpfleet.server.handler.proxy;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before retry {@code n} (0-based) wait a uniformly random time
 * in {@code [0, min(cap, base * 2^n)]}, which spreads the retries of many clients instead of having
 * them hit a recovering upstream in waves.
 */
public final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    private final LongUnaryOperator randomBelowInclusive;

    /** {@code randomBelowInclusive.applyAsLong(bound)} returns a value in {@code [0, bound]}. */
    public Backoff(Duration base, Duration cap, LongUnaryOperator randomBelowInclusive) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.randomBelowInclusive = randomBelowInclusive;
    }

    /** The ceiling for retry {@code attempt}: {@code min(cap, base * 2^attempt)}, without overflow. */
    public long ceilingNanos(int attempt) {
        if (attempt >= 62 || baseNanos > (capNanos >> Math.min(attempt, 62))) {
            return capNanos;
        }
        return Math.min(capNanos, baseNanos << attempt);
    }

    public long delayNanos(int attempt) {
        return randomBelowInclusive.applyAsLong(ceilingNanos(attempt));
    }
}
