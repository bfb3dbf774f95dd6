package io.tcpfleet.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The admitted connections: enforces {@code --max-connections}, knows which are open for the drain,
 * and counts how many ended.
 */
public final class ConnectionRegistry {

    /** Outcome of {@link #tryAdmit}. */
    public enum Admission { ADMITTED, OVER_LIMIT, DRAINING }

    private final int max;
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder closed = new LongAdder();
    private final ChannelGroup channels = new DefaultChannelGroup("tcpfleet-connections", GlobalEventExecutor.INSTANCE);
    private volatile boolean refusing;

    public ConnectionRegistry(int max) {
        this.max = max;
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
                channels.add(channel);
                return Admission.ADMITTED;
            }
        }
    }

    /** Called once per admitted connection when it closes. */
    public void released() {
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
        return new ArrayList<>(channels);
    }
}
