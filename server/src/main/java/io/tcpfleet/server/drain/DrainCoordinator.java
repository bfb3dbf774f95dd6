package io.tcpfleet.server.drain;

import io.netty.channel.Channel;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The drain, in the order docs/design.md gives: readiness turns 503 and the listener keeps accepting for
 * the delay; then the listener closes, plugins are told, connections that are idle are closed (and
 * those that become idle while we wait); after the timeout what is left is force-closed and counted.
 * Started by SIGTERM or {@code POST /drain}; a second start joins the first, {@link #skipAhead()}
 * (a second signal) cuts both waits short. Runs on its own thread, never on an event loop.
 */
public final class DrainCoordinator {

    /** A connection is idle for the drain when no byte moved for this long and nothing waits to be written. */
    static final long IDLE_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long POLL_MILLIS = 50;
    private static final Log LOG = Log.get(DrainCoordinator.class);

    private final Duration delay;
    private final Duration timeout;
    private final ConnectionRegistry registry;
    private final ServerMetrics metrics;
    private final Runnable closeListener;
    private final Consumer<Collection<Channel>> notifyHandlers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch skip = new CountDownLatch(1);
    private final CompletableFuture<DrainResult> done = new CompletableFuture<>();
    private volatile boolean draining;

    public DrainCoordinator(
            Duration delay,
            Duration timeout,
            ConnectionRegistry registry,
            ServerMetrics metrics,
            Runnable closeListener,
            Consumer<Collection<Channel>> notifyHandlers) {
        this.delay = delay;
        this.timeout = timeout;
        this.registry = registry;
        this.metrics = metrics;
        this.closeListener = closeListener;
        this.notifyHandlers = notifyHandlers;
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
                    timeout.toMillis());
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
        notifyPlugins();

        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            closeIdle();
            long left = deadline - System.nanoTime();
            if (registry.active() == 0
                    || left <= 0
                    || skip.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS)) {
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

    private void notifyPlugins() {
        try {
            notifyHandlers.accept(registry.openChannels());
        } catch (RuntimeException e) {
            LOG.warn("handler failed to react to the drain", e);
        }
    }

    private void closeIdle() {
        for (Channel ch : registry.openChannels()) {
            ConnectionTracker tracker = ConnectionTracker.of(ch);
            if (tracker != null && tracker.unsentBytes() == 0 && tracker.quietNanos() >= IDLE_QUIET_NANOS) {
                ConnectionTracker.close(ch, CloseReason.drain);
            }
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
