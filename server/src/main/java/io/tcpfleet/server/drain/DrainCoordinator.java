package io.tcpfleet.server.drain;

import io.netty.channel.Channel;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.connection.GoAway;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            askPaced();
        }

        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Also those the listener admitted just before it closed, after the snapshot we asked.
            goAway.ask(registry.openChannels(), CloseReason.drain);
            closeIdle();
            long left = deadline - System.nanoTime();
            if (registry.active() == 0 || left <= 0 || skip.await(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS)) {
                break;
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
     * Asks the open connections to go one by one, {@code 1/closeRate} s apart; a late wake-up catches
     * up on at most a poll's worth of slots (50 ms), so no second holds much more than the rate when
     * the thread is held up. A connection that closed by itself, or that its age already asked, takes
     * no slot. Meanwhile those asked that became idle are closed, at most every poll.
     */
    private void askPaced() throws InterruptedException {
        List<Channel> open = registry.openChannels();
        long interval = TimeUnit.SECONDS.toNanos(1) / closeRate;
        LOG.info(
                "drain pacing",
                "connections",
                open.size(),
                "closeRate",
                closeRate,
                "spreadMs",
                TimeUnit.NANOSECONDS.toMillis(open.size() * interval));
        long nextSlot = System.nanoTime();
        long nextPoll = nextSlot + POLL_NANOS;
        int i = 0;
        while (i < open.size()) {
            List<Channel> due = new ArrayList<>();
            long now = System.nanoTime();
            if (nextSlot - (now - POLL_NANOS) < 0) {
                nextSlot = now - POLL_NANOS;
            }
            while (i < open.size() && now - nextSlot >= 0) {
                Channel ch = open.get(i++);
                ConnectionTracker tracker = ConnectionTracker.of(ch);
                if (ch.isActive() && tracker != null && !tracker.asked()) {
                    due.add(ch);
                    nextSlot += interval;
                }
            }
            goAway.ask(due, CloseReason.drain);
            if (now - nextPoll >= 0) {
                closeIdle();
                nextPoll = now + POLL_NANOS;
            }
            long t = System.nanoTime();
            long wait = Math.max(0, Math.min(nextSlot - t, nextPoll - t));
            if (i < open.size() && skip.await(wait, TimeUnit.NANOSECONDS)) {
                return;
            }
        }
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
