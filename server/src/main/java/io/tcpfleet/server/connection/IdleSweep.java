package io.tcpfleet.server.connection;

import io.tcpfleet.server.metrics.CloseReason;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connections of one event loop that sent nothing for the idle timeout: one task per
 * loop walks its {@link LoopConnections}, instead of a timer per connection (an
 * {@code IdleStateHandler} costs every idle connection a pipeline context, the handler and a
 * scheduled task; docs/bench/results.md has the heap per connection).
 * <p>
 * A connection is closed no earlier than the timeout after its last read, and at most a tenth of
 * the timeout (never more than a second) later: the sweep runs at the earliest deadline it saw,
 * but not more often than that slack, so a loop with many connections does not walk them all for
 * each one that expires. A loop without connections schedules nothing. Time is the loop's
 * {@code ticker()}, so tests can move it. Runs on the loop only.
 */
final class IdleSweep implements Runnable {

    private static final long MAX_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoopConnections connections;
    private final long timeoutNanos;
    private final long slackNanos;
    private boolean scheduled;

    IdleSweep(LoopConnections connections, long timeoutNanos) {
        this.connections = connections;
        this.timeoutNanos = timeoutNanos;
        this.slackNanos = Math.max(1, Math.min(timeoutNanos / 10, MAX_SLACK_NANOS));
    }

    void connectionAdded() {
        if (!scheduled) {
            // A new connection's deadline is a full timeout away.
            schedule(timeoutNanos);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        long now = connections.loop().ticker().nanoTime();
        long earliest = Long.MAX_VALUE;
        for (ConnectionTracker t = connections.head(); t != null; t = t.nextOnLoop) {
            long deadline = t.lastReadNanos() + timeoutNanos;
            if (now - deadline >= 0) {
                // Unlinked by its channelInactive, a task later: the walk goes on safely.
                t.reason(CloseReason.idle);
                t.channel().close();
            } else if (deadline - now < earliest) {
                earliest = deadline - now;
            }
        }
        if (earliest != Long.MAX_VALUE) {
            schedule(Math.max(earliest, slackNanos));
        } else if (connections.head() != null) {
            // Only closing connections are left; look again in case one stays open.
            schedule(slackNanos);
        }
    }

    private void schedule(long delayNanos) {
        scheduled = true;
        connections.loop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
