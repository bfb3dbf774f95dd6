package io.tcpfleet.server.connection;

import io.netty.channel.Channel;
import io.tcpfleet.server.metrics.CloseReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code --max-connection-age}: so that long-lived connections move to pods added since they were
 * opened, each connection gets a deadline of the age ± the jitter, drawn uniformly at accept (gRPC
 * A9's MAX_CONNECTION_AGE, Envoy's max_downstream_connection_duration: connections opened together
 * do not all leave together). At its deadline a connection is asked to go ({@link GoAway}), then
 * closed once idle or at the end of the grace, as {@code max_age}. One scheduled task per connection
 * on its own event loop, cancelled when the connection closes; the grace re-checks once a second.
 */
public final class ConnectionAge {

    private static final long RECHECK_NANOS = ConnectionTracker.IDLE_QUIET_NANOS;

    private final long ageNanos;
    private final long jitterNanos;
    private final long graceNanos;
    private final GoAway goAway;
    private final Executor askOn;

    /**
     * @param jitterPercent 0-50
     * @param askOn         where connections are asked: off the event loop when a plugin hears of it
     */
    public ConnectionAge(Duration age, int jitterPercent, Duration grace, GoAway goAway, Executor askOn) {
        this.ageNanos = age.toNanos();
        this.jitterNanos = (long) (ageNanos * (jitterPercent / 100.0));
        this.graceNanos = grace.toNanos();
        this.goAway = goAway;
        this.askOn = askOn;
    }

    /** This connection's age: uniform in [age - jitter, age + jitter]. */
    long drawAgeNanos() {
        return jitterNanos == 0
                ? ageNanos
                : ageNanos - jitterNanos + ThreadLocalRandom.current().nextLong(2 * jitterNanos + 1);
    }

    /** A connection was admitted; on its event loop. */
    void start(ConnectionTracker tracker) {
        tracker.ageTimer =
                tracker.channel().eventLoop().schedule(() -> reached(tracker), drawAgeNanos(), TimeUnit.NANOSECONDS);
    }

    private void reached(ConnectionTracker tracker) {
        tracker.ageTimer = null;
        Channel ch = tracker.channel();
        if (!ch.isActive() || tracker.asked()) {
            return; // closing, or the drain asked first and ends it
        }
        long graceEnd = System.nanoTime() + graceNanos;
        try {
            askOn.execute(() -> {
                if (goAway.ask(List.of(ch), CloseReason.max_age) > 0) {
                    ch.eventLoop().execute(() -> watchGrace(tracker, graceEnd));
                }
            });
        } catch (RejectedExecutionException stopping) {
            ConnectionTracker.close(ch, CloseReason.max_age);
        }
    }

    /** Closes the connection once it is idle, or at the end of the grace; on its event loop. */
    private void watchGrace(ConnectionTracker tracker, long graceEnd) {
        tracker.ageTimer = null;
        Channel ch = tracker.channel();
        if (!ch.isActive()) {
            return;
        }
        long left = graceEnd - System.nanoTime();
        if (left <= 0 || tracker.idle()) {
            ConnectionTracker.close(ch, CloseReason.max_age);
            return;
        }
        tracker.ageTimer = ch.eventLoop()
                .schedule(() -> watchGrace(tracker, graceEnd), Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
    }
}
