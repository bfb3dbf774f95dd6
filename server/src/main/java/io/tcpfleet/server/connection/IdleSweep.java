package io.tcpfleet.server.connection;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that sent nothing for the idle timeout, with one task per event loop that
 * walks the trackers of that loop's connections, instead of a timer per connection: an
 * {@code IdleStateHandler} costs every idle connection a pipeline context, the handler and a
 * scheduled task (about 280 bytes of heap), this costs it two links in its loop's list.
 * <p>
 * A connection is closed no earlier than the timeout after its last read, and at most a tenth of
 * the timeout (never more than a second) later: the sweep runs at the earliest deadline it saw,
 * but not more often than that slack, so a loop with many connections does not walk them all for
 * each one that expires. A loop without connections schedules nothing. Time is the loop's
 * {@code ticker()}, so tests can move it. Each loop's list is touched on that loop only.
 */
public final class IdleSweep {

    private static final long MAX_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long timeoutNanos;
    private final long slackNanos;
    private final Map<EventExecutor, LoopConnections> loops = new ConcurrentHashMap<>();

    public IdleSweep(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must be above 0: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.slackNanos = Math.max(1, Math.min(timeoutNanos / 10, MAX_SLACK_NANOS));
    }

    /** Starts watching a connection; on its event loop, when the tracker is added. */
    void join(ConnectionTracker tracker) {
        EventExecutor loop = tracker.channel().eventLoop();
        loops.computeIfAbsent(loop, LoopConnections::new).add(tracker);
    }

    /** Stops watching it; on its event loop, when the connection has closed. */
    void leave(ConnectionTracker tracker) {
        LoopConnections connections = loops.get(tracker.channel().eventLoop());
        if (connections != null) {
            connections.remove(tracker);
        }
    }

    /** One event loop's connections, as a list linked through the trackers, and its sweep. */
    private final class LoopConnections implements Runnable {

        private final EventExecutor loop;
        private ConnectionTracker head;
        private boolean scheduled;

        LoopConnections(EventExecutor loop) {
            this.loop = loop;
        }

        void add(ConnectionTracker tracker) {
            tracker.nextOnLoop = head;
            if (head != null) {
                head.prevOnLoop = tracker;
            }
            head = tracker;
            if (!scheduled) {
                // A new connection's deadline is a full timeout away.
                schedule(timeoutNanos);
            }
        }

        void remove(ConnectionTracker tracker) {
            ConnectionTracker prev = tracker.prevOnLoop;
            ConnectionTracker next = tracker.nextOnLoop;
            if (prev != null) {
                prev.nextOnLoop = next;
            } else if (head == tracker) {
                head = next;
            }
            if (next != null) {
                next.prevOnLoop = prev;
            }
            tracker.prevOnLoop = null;
            tracker.nextOnLoop = null;
        }

        @Override
        public void run() {
            scheduled = false;
            long now = loop.ticker().nanoTime();
            long earliest = Long.MAX_VALUE;
            for (ConnectionTracker t = head; t != null; t = t.nextOnLoop) {
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
            } else if (head != null) {
                // Only closing connections are left; look again in case one stays open.
                schedule(slackNanos);
            }
        }

        private void schedule(long delayNanos) {
            scheduled = true;
            loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        }
    }
}
