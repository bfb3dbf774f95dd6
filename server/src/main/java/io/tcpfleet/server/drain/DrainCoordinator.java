package io.tcpfleet.server.drain;

import io.netty.channel.Channel;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.connection.GoAway;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The drain, in the order docs/design.md gives: readiness turns 503 and the listener keeps accepting for
 * the delay; then the listener closes and the connections are asked to go ({@link GoAway}: plugins
 * are told, idle ones closed), all at once or, with a close rate, evenly spread at that rate so the
 * clients do not all reconnect to the other pods in the same second; those asked that become idle
 * are closed while we wait; the timeout counts from the end of the spread, and what is left then is
 * force-closed and counted.
 * Started by SIGTERM or {@code POST /drain}; a second start joins the first, {@link #skipAhead()}
 * (a second signal) cuts both waits short. Runs on its own thread, never on an event loop.
 */
public final class DrainCoordinator {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Log LOG = Log.get(DrainCoordinator.class);

    private final Duration delay;
    private final Duration timeout;
    private final int closeRate;
    private final ConnectionRegistry registry;
    private final ServerMetrics metrics;
    private final Runnable closeListener;
    private final GoAway goAway;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch skip = new CountDownLatch(1);
    private final CompletableFuture<DrainResult> done = new CompletableFuture<>();
    private volatile boolean draining;

    /** @param closeRate connections asked to go per second; 0 for all at once */
    public DrainCoordinator(
            Duration delay,
            Duration timeout,
            int closeRate,
            ConnectionRegistry registry,
            ServerMetrics metrics,
            Runnable closeListener,
            GoAway goAway) {
        this.delay = delay;
        this.timeout = timeout;
        this.closeRate = closeRate;
        this.registry = registry;
        this.metrics = metrics;
        this.closeListener = closeListener;
        this.goAway = goAway;
    }

    /** Starts the drain, or joins the one already running; completes when it has ended. */
    public CompletableFuture<DrainResult> start(String trigger) {
        if (started.compareAndSet(false, true)) {
            draining = true;
            LOG.info(
                    "drain started",
                    "trigger",
                    trigger,
                    "connections",
                    registry.active(),
                    "delayMs",
                    delay.toMillis(),
                    "timeoutMs",
                    timeout.toMillis(),
                    "closeRate",
                    closeRate);
            Thread thread = new Thread(this::run, "tcpfleet-drain");
            thread.setDaemon(true);
            thread.start();
        } else {
            LOG.info("drain already running, joining it", "trigger", trigger);
        }
        return done;
    }

    /** Ends the waits now: close the listener, then force-close whatever is still open. */
    public void skipAhead() {
        LOG.info("drain skipping ahead");
        skip.countDown();
    }

    public boolean isDraining() {
        return draining;
    }

    public CompletableFuture<DrainResult> result() {
        return done;
    }

    private void run() {
        try {
            done.complete(drain());
        } catch (Throwable e) {
            LOG.error("drain failed", e);
            done.completeExceptionally(e);
        }
    }

    private DrainResult drain() throws InterruptedException {
        long startNanos = System.nanoTime();
        int atStart = registry.active();
        long closedBefore = registry.closedTotal();
        double forcedBefore = metrics.closed(CloseReason.forced).count();

        skip.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        registry.refuseNew();
        closeListener.run();
        LOG.info("drain closed the listener", "connections", registry.active());
        if (closeRate > 0) {
            drainPaced();
        } else {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                // Also those the listener admitted just before it closed, after the snapshot we asked.
                goAway.ask(registry.openChannels(), CloseReason.drain);
                closeIdle();
                long left = deadline - System.nanoTime();
                if (registry.active() == 0
                        || left <= 0
                        || skip.await(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        }
        forceClose();
        long forced = Math.round(metrics.closed(CloseReason.forced).count() - forcedBefore);
        long closed = registry.closedTotal() - closedBefore - forced;
        DrainResult result =
                new DrainResult(atStart, closed, forced, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        LOG.info(
                "drain finished",
                "connectionsAtStart",
                result.connectionsAtStart(),
                "closed",
                result.closed(),
                "forced",
                result.forced(),
                "elapsedMillis",
                result.elapsedMillis());
        return result;
    }

    /**
     * Closes connections at most {@code closeRate} per second, in slots {@code 1/closeRate} s apart:
     * a slot closes one connection that was asked and has gone idle since, or else asks the next one
     * (closed at once when idle). So a busy connection takes two slots, and the closes a client sees
     * never bunch up when many busy ones go idle together. Ends when none is left, at spread +
     * timeout (the rest is force-closed), or on a skip. A late wake-up catches up on at most a poll's
     * worth of slots (50 ms). A connection its age already asked takes no slot.
     */
    private void drainPaced() throws InterruptedException {
        List<Channel> open = registry.openChannels();
        long interval = TimeUnit.SECONDS.toNanos(1) / closeRate;
        long start = System.nanoTime();
        long deadline = start + open.size() * interval + timeout.toNanos();
        LOG.info(
                "drain pacing",
                "connections",
                open.size(),
                "closeRate",
                closeRate,
                "spreadMs",
                TimeUnit.NANOSECONDS.toMillis(open.size() * interval));
        Set<Channel> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(open);
        Deque<Channel> toAsk = new ArrayDeque<>(open);
        List<Channel> asked = new ArrayList<>();
        long nextSlot = start;
        long nextPoll = start + POLL_NANOS;
        while (registry.active() > 0) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            if (now - nextPoll >= 0) {
                // Those the listener admitted just before it closed, after the snapshot.
                for (Channel ch : registry.openChannels()) {
                    if (seen.add(ch)) {
                        toAsk.add(ch);
                    }
                }
                nextPoll = now + POLL_NANOS;
            }
            if (nextSlot - (now - POLL_NANOS) < 0) {
                nextSlot = now - POLL_NANOS;
            }
            while (now - nextSlot >= 0 && useSlot(toAsk, asked)) {
                nextSlot += interval;
            }
            long t = System.nanoTime();
            long wait = Math.max(0, Math.min(Math.min(nextSlot, nextPoll), deadline) - t);
            if (skip.await(wait, TimeUnit.NANOSECONDS)) {
                return;
            }
        }
    }

    /** One slot: closes an asked connection that went idle, else asks the next; false if neither was there. */
    private boolean useSlot(Deque<Channel> toAsk, List<Channel> asked) {
        asked.removeIf(ch -> !ch.isActive());
        for (Iterator<Channel> it = asked.iterator(); it.hasNext(); ) {
            Channel ch = it.next();
            ConnectionTracker tracker = ConnectionTracker.of(ch);
            if (tracker == null || tracker.idle()) {
                it.remove();
                GoAway.closeIfIdle(ch, CloseReason.drain);
                return true;
            }
        }
        while (!toAsk.isEmpty()) {
            Channel ch = toAsk.poll();
            if (goAway.ask(List.of(ch), CloseReason.drain) == 1) {
                ConnectionTracker tracker = ConnectionTracker.of(ch);
                if (tracker != null && !tracker.idle()) {
                    asked.add(ch);
                }
                return true;
            }
        }
        return false;
    }

    private void closeIdle() {
        for (Channel ch : registry.openChannels()) {
            GoAway.closeIfIdle(ch, CloseReason.drain);
        }
    }

    private void forceClose() throws InterruptedException {
        List<Channel> left = registry.openChannels();
        if (!left.isEmpty()) {
            LOG.info("drain timeout reached, force-closing", "connections", left.size());
        }
        for (Channel ch : left) {
            ConnectionTracker.close(ch, CloseReason.forced);
        }
        registry.awaitNoneActive(1, TimeUnit.SECONDS);
    }
}
