package io.tcpfleet.server.connection;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The admitted connections: enforces {@code --max-connections}, knows which are open (for the drain),
 * closes those idle past {@code --idle-timeout}, starts each one's {@link ConnectionAge}, and counts
 * how many ended. The open ones are kept per event loop in lists linked through their trackers
 * ({@link LoopConnections}), which is also what the idle sweep walks: a channel group would cost
 * each connection a map node.
 */
public final class ConnectionRegistry {

    /** Outcome of {@link #tryAdmit}. */
    public enum Admission {
        ADMITTED,
        OVER_LIMIT,
        DRAINING
    }

    private final int max;
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder closed = new LongAdder();
    private final long idleTimeoutNanos;
    private final ConnectionAge age;
    private final Map<EventExecutor, LoopConnections> loops = new ConcurrentHashMap<>();
    private volatile boolean refusing;

    /** @param idleTimeout close connections that read nothing for this long; 0 for never */
    public ConnectionRegistry(int max, Duration idleTimeout) {
        this(max, idleTimeout, null);
    }

    /** @param age null, or each connection is asked to go at its {@code --max-connection-age} */
    public ConnectionRegistry(int max, Duration idleTimeout, ConnectionAge age) {
        this.max = max;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.age = age;
    }

    public Admission tryAdmit(Channel channel) {
        if (refusing) {
            return Admission.DRAINING;
        }
        while (true) {
            int now = active.get();
            if (now >= max) {
                return Admission.OVER_LIMIT;
            }
            if (active.compareAndSet(now, now + 1)) {
                return Admission.ADMITTED;
            }
        }
    }

    /** An admitted connection's tracker is in place; on its event loop. */
    void joined(ConnectionTracker tracker) {
        loops.computeIfAbsent(tracker.channel().eventLoop(), loop -> new LoopConnections(loop, idleTimeoutNanos))
                .add(tracker);
        if (age != null) {
            age.start(tracker);
        }
    }

    /** Called once per admitted connection when it closes; on its event loop. */
    void released(ConnectionTracker tracker) {
        LoopConnections connections = loops.get(tracker.channel().eventLoop());
        if (connections != null) {
            connections.remove(tracker);
        }
        closed.increment();
        if (active.decrementAndGet() == 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Waits until no admitted connection is left or the timeout passes; true when none is left.
     * A close is counted on its event loop just after its close future completes, so the drain
     * waits here rather than on the futures.
     */
    public synchronized boolean awaitNoneActive(long timeout, TimeUnit unit) throws InterruptedException {
        long until = System.nanoTime() + unit.toNanos(timeout);
        for (long left = unit.toNanos(timeout); active.get() > 0 && left > 0; left = until - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return active.get() == 0;
    }

    /** From now on every accepted socket is refused (the drain closed the listener). */
    public void refuseNew() {
        refusing = true;
    }

    public int active() {
        return active.get();
    }

    public long closedTotal() {
        return closed.sum();
    }

    /** A snapshot of the open connections. */
    public List<Channel> openChannels() {
        List<Channel> open = new ArrayList<>(active.get());
        for (LoopConnections connections : loops.values()) {
            connections.snapshot(open);
        }
        return open;
    }
}
