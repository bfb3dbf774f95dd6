package io.tcpfleet.server.handler.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long BASE = Duration.ofMillis(20).toNanos();
    private static final long CAP = Duration.ofMillis(500).toNanos();

    @Test
    void ceilingDoublesFromBaseUpToTheCapWithoutOverflow() {
        Backoff ceiling = new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), bound -> bound);
        assertThat(ceiling.delayNanos(0)).isEqualTo(BASE);
        assertThat(ceiling.delayNanos(1)).isEqualTo(2 * BASE);
        assertThat(ceiling.delayNanos(4)).isEqualTo(16 * BASE);
        assertThat(ceiling.delayNanos(5)).isEqualTo(CAP);
        for (int attempt : new int[] {30, 62, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertThat(ceiling.delayNanos(attempt)).isEqualTo(CAP);
        }
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeilingAndSpreads() {
        SplittableRandom random = new SplittableRandom(7);
        Backoff backoff =
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), bound -> random.nextLong(bound + 1));
        Backoff ceiling = new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), bound -> bound);
        for (int attempt = 0; attempt < 40; attempt++) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delayNanos(attempt);
                assertThat(delay).isBetween(0L, ceiling.delayNanos(attempt));
                seen.add(delay);
            }
            assertThat(seen).as("jitter spreads the delays").hasSizeGreaterThan(150);
        }
    }

    @Test
    void theRandomSourceIsAskedForTheCeiling() {
        Backoff smallest = new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), bound -> 0);
        Backoff largest = new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), bound -> bound);
        assertThat(smallest.delayNanos(3)).isZero();
        assertThat(largest.delayNanos(3)).isEqualTo(8 * BASE);
    }

    @Test
    void refusesABaseAboveTheCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), b -> b))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), b -> b))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
