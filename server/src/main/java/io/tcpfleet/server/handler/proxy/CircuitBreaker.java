package io.tcpfleet.server.handler.proxy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Opens after {@code threshold} consecutive connect failures and refuses at once while open; after
 * {@code cooldown} it lets exactly one trial connect through (half-open): success closes it, failure
 * opens it for another cool-down. Shared by all event loops, so synchronized: it is consulted once
 * per connect attempt, never per message.
 */
public final class CircuitBreaker {

    /** The breaker's state; anything but closed counts as open. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final long cooldownNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAtNanos;
    private boolean trialInFlight;

    public CircuitBreaker(int threshold, Duration cooldown, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.cooldownNanos = cooldown.toNanos();
        this.nanoClock = nanoClock;
    }

    /** True if a connect attempt may go ahead now. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (!cooldownOver()) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                return true;
            default:
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
        }
    }

    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    public synchronized void onFailure() {
        trialInFlight = false;
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openedAtNanos = nanoClock.getAsLong();
        }
    }

    /** The state as the next attempt would see it: an open breaker whose cool-down is over is half-open. */
    public synchronized State state() {
        if (state == State.OPEN && cooldownOver()) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** Open or half-open: not every attempt may go ahead. */
    public boolean isOpen() {
        return state() != State.CLOSED;
    }

    private boolean cooldownOver() {
        return nanoClock.getAsLong() - openedAtNanos >= cooldownNanos;
    }
}
