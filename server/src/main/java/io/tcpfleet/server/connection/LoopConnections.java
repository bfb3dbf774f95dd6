package io.tcpfleet.server.connection;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;

/**
 * The open connections of one event loop, as a list linked through their trackers: no node, map
 * entry or channel-group slot per connection. Changed on the loop only, under this object's lock
 * (never contended but by a drain taking a snapshot); the loop reads it without the lock.
 */
final class LoopConnections {

    private final EventExecutor loop;
    private final IdleSweep idleSweep;
    private ConnectionTracker head;

    /** @param idleTimeoutNanos 0 for none */
    LoopConnections(EventExecutor loop, long idleTimeoutNanos) {
        this.loop = loop;
        this.idleSweep = idleTimeoutNanos > 0 ? new IdleSweep(this, idleTimeoutNanos) : null;
    }

    EventExecutor loop() {
        return loop;
    }

    /** The first of the list, to walk on the loop through {@link ConnectionTracker#nextOnLoop}. */
    ConnectionTracker head() {
        return head;
    }

    void add(ConnectionTracker tracker) {
        synchronized (this) {
            tracker.nextOnLoop = head;
            if (head != null) {
                head.prevOnLoop = tracker;
            }
            head = tracker;
        }
        if (idleSweep != null) {
            idleSweep.connectionAdded();
        }
    }

    synchronized void remove(ConnectionTracker tracker) {
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

    /** Adds the channels to {@code into}; from any thread. */
    synchronized void snapshot(List<Channel> into) {
        for (ConnectionTracker t = head; t != null; t = t.nextOnLoop) {
            into.add(t.channel());
        }
    }
}
