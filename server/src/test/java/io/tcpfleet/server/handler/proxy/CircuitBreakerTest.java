package io.tcpfleet.server.handler.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.handler.proxy.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(5), now::get);

    @Test
    void staysClosedBelowTheThresholdAndSuccessResetsTheCount() {
        fail(2);
        breaker.onSuccess();
        fail(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void opensAfterThresholdConsecutiveFailuresAndRefusesFast() {
        fail(3);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        now.addAndGet(Duration.ofMillis(4_999).toNanos());
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void halfOpensAfterTheCooldownWithExactlyOneTrial() {
        fail(3);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(breaker.state()).as("cool-down over, before the trial").isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("second caller during the trial").isFalse();
    }

    @Test
    void aSuccessfulTrialClosesIt() {
        fail(3);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aFailedTrialOpensItForAnotherCooldown() {
        fail(3);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(breaker.tryAcquire()).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure();
        }
    }
}
