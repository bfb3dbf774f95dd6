package io.tcpfleet.e2e.load;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * the n-th wait is uniform in [0, min(cap, base * 2^n)], so clients cut off together do not
 * reconnect together. Not thread-safe: one per connection.
 */
final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    private int failures;

    Backoff(Duration base, Duration cap) {
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
    }

    /** The wait before the next attempt, after one more failure. */
    Duration next() {
        int shift = Math.min(failures++, 30);
        long ceiling = Math.min(capNanos, baseNanos << shift);
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    void reset() {
        failures = 0;
    }
}
