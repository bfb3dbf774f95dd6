package io.tcpfleet.server.rebalance;

import io.netty.channel.Channel;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.connection.GoAway;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.RebalanceResult;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code --rebalance-file}: sheds connections when the operator asks, so that after a scale-out clients
 * reconnect to the emptier pods. The operator writes {@link RebalanceRequest#ANNOTATION} on the pod; the
 * kubelet mirrors the pod's annotations into a downward API file, read again every second (as the TLS files
 * are). A new round asks that many of the oldest connections to go, at most its rate a second, the way
 * {@code --max-connection-age} does ({@link GoAway}: a plugin hears of it, an idle connection is closed),
 * and closes each asked one once idle or at the end of {@code --max-connection-age-grace}, as
 * {@code rebalance}. A round id is acted on once, and the one present at start not at all (a restarted
 * container has lost its connections already); a drain asks every connection anyway, so it wins.
 * While a round runs the pod reads not ready, as EMQX's evacuating nodes do, and its first close waits
 * {@code --drain-delay} for the Service to drop it: the clients it sheds reconnect to the other pods,
 * not back to it, so a round disconnects only the excess.
 * Everything runs on one thread: the poll, and the slots of the round, one close or one ask each.
 */
public final class Rebalancer implements AutoCloseable {

    private static final Log LOG = Log.get(Rebalancer.class);
    static final long POLL_MILLIS = 1000;

    private final Path file;
    private final ConnectionRegistry registry;
    private final GoAway goAway;
    private final BooleanSupplier draining;
    private final long graceNanos;
    private final long notReadyFirstNanos;
    private final ServerMetrics metrics;
    private final ScheduledExecutorService thread;

    /** The file's text last seen and the annotation's value in it: a change is looked at once. */
    private String lastText;

    private String lastValue;
    private String lastRound;
    /** The file could not be read last time: logged once until it can. */
    private boolean unreadable;
    /** Of the current round, oldest first. */
    private final Deque<Channel> toAsk = new ArrayDeque<>();
    /** Asked and still busy: closed once idle, or at their grace's end. */
    private final List<Asked> asked = new ArrayList<>();

    private ScheduledFuture<?> slots;
    /** From a round's start to its end: the readiness check reads it from another thread. */
    private volatile boolean shedding;

    private record Asked(Channel channel, long graceEndNanos) {}

    private Rebalancer(
            Path file,
            ConnectionRegistry registry,
            GoAway goAway,
            BooleanSupplier draining,
            Duration grace,
            Duration notReadyFirst,
            ServerMetrics metrics) {
        this.file = file;
        this.registry = registry;
        this.goAway = goAway;
        this.draining = draining;
        this.graceNanos = grace.toNanos();
        this.notReadyFirstNanos = notReadyFirst.toNanos();
        this.metrics = metrics;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tcpfleet-rebalance");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Watches {@code file}; the round it holds now is taken as done.
     *
     * @param grace         how long an asked connection that stays busy keeps its bytes
     * @param draining      true once the drain started
     * @param notReadyFirst how long a round reads not ready before its first ask (the drain's delay)
     */
    public static Rebalancer start(
            Path file,
            ConnectionRegistry registry,
            GoAway goAway,
            BooleanSupplier draining,
            Duration grace,
            Duration notReadyFirst,
            ServerMetrics metrics) {
        metrics.enableRebalance();
        Rebalancer rebalancer = new Rebalancer(file, registry, goAway, draining, grace, notReadyFirst, metrics);
        rebalancer.thread.execute(rebalancer::skipRoundAtStart);
        rebalancer.thread.scheduleWithFixedDelay(rebalancer::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info(
                "rebalance requests read from a file",
                "file",
                file.toString(),
                "annotation",
                RebalanceRequest.ANNOTATION);
        return rebalancer;
    }

    private void skipRoundAtStart() {
        String value = readValue();
        if (value == null) {
            return;
        }
        lastValue = value;
        try {
            lastRound = RebalanceRequest.parse(value).round();
            LOG.info("rebalance round present at start, not acted on", "round", lastRound);
        } catch (IllegalArgumentException e) {
            malformed(e.getMessage());
        }
    }

    private void poll() {
        try {
            String value = readValue();
            if (value == null || value.equals(lastValue)) {
                return;
            }
            lastValue = value;
            RebalanceRequest request;
            try {
                request = RebalanceRequest.parse(value);
            } catch (IllegalArgumentException e) {
                malformed(e.getMessage());
                return;
            }
            if (request.round().equals(lastRound)) {
                metrics.rebalanceRequest(RebalanceResult.repeated).increment();
                LOG.info("rebalance round already acted on, ignored", "round", request.round(), "value", value);
                return;
            }
            lastRound = request.round();
            if (draining.getAsBoolean()) {
                metrics.rebalanceRequest(RebalanceResult.draining).increment();
                LOG.info("rebalance round ignored: the server is draining", "round", request.round());
                return;
            }
            begin(request);
        } catch (RuntimeException e) {
            LOG.error("rebalance poll failed", e);
        }
    }

    /** The annotation's value, or null when the file or the annotation is not there (or the file unchanged). */
    private String readValue() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (!unreadable) {
                LOG.warn("rebalance file cannot be read", "file", file.toString(), "error", String.valueOf(e));
            }
            unreadable = true;
            lastText = null;
            return null;
        }
        unreadable = false;
        if (text.equals(lastText)) {
            return null;
        }
        lastText = text;
        Map<String, String> annotations;
        try {
            annotations = DownwardApiAnnotations.parse(text);
        } catch (IllegalArgumentException e) {
            malformed(file + ": " + e.getMessage());
            return null;
        }
        return annotations.get(RebalanceRequest.ANNOTATION);
    }

    private void malformed(String why) {
        metrics.rebalanceRequest(RebalanceResult.malformed).increment();
        LOG.warn("rebalance request ignored", "annotation", RebalanceRequest.ANNOTATION, "error", why);
    }

    /** Asks the oldest connections not yet asked (by their age or a drain); a round in progress gives way. */
    private void begin(RebalanceRequest request) {
        List<Channel> candidates = new ArrayList<>();
        for (Channel ch : registry.openChannels()) {
            ConnectionTracker tracker = ConnectionTracker.of(ch);
            if (tracker != null && !tracker.asked()) {
                candidates.add(ch);
            }
        }
        candidates.sort(Comparator.comparingLong(Rebalancer::openedNanos));
        toAsk.clear();
        toAsk.addAll(candidates.subList(0, Math.min(request.connections(), candidates.size())));
        metrics.rebalanceRequest(RebalanceResult.started).increment();
        LOG.info(
                "rebalance round started",
                "round",
                request.round(),
                "asked",
                request.connections(),
                "asking",
                toAsk.size(),
                "open",
                registry.active(),
                "ratePerSecond",
                request.ratePerSecond());
        // A round that replaces one in progress is already out of the Service.
        long first = slots == null ? notReadyFirstNanos : 0;
        if (slots != null) {
            slots.cancel(false);
        }
        shedding = true;
        long interval = TimeUnit.SECONDS.toNanos(1) / request.ratePerSecond();
        // Fixed delay, not rate: a late slot never makes the next ones bunch up to catch up.
        slots = thread.scheduleWithFixedDelay(this::slot, first, interval, TimeUnit.NANOSECONDS);
    }

    /** True while a round runs: the pod then reads not ready, so that new clients go to the other pods. */
    public boolean shedding() {
        return shedding;
    }

    private static long openedNanos(Channel ch) {
        ConnectionTracker tracker = ConnectionTracker.of(ch);
        return tracker == null ? Long.MAX_VALUE : tracker.openedNanos();
    }

    /**
     * One slot: closes an asked connection that went idle or is past its grace, else asks the next one (closed
     * at once when idle). At most one close a slot, so the clients' reconnects come at the rate. Once the drain
     * started nothing more is asked; those asked are still closed here.
     */
    private void slot() {
        try {
            long now = System.nanoTime();
            asked.removeIf(a -> !a.channel().isActive());
            for (int i = 0; i < asked.size(); i++) {
                Asked a = asked.get(i);
                ConnectionTracker tracker = ConnectionTracker.of(a.channel());
                if (tracker == null || tracker.idle() || now - a.graceEndNanos() >= 0) {
                    asked.remove(i);
                    ConnectionTracker.close(a.channel(), CloseReason.rebalance);
                    return;
                }
            }
            if (draining.getAsBoolean()) {
                toAsk.clear();
            }
            while (!toAsk.isEmpty()) {
                Channel ch = toAsk.poll();
                if (goAway.ask(List.of(ch), CloseReason.rebalance) == 1) {
                    ConnectionTracker tracker = ConnectionTracker.of(ch);
                    if (tracker != null && !tracker.idle()) {
                        asked.add(new Asked(ch, now + graceNanos));
                    }
                    return;
                }
            }
            if (asked.isEmpty()) {
                slots.cancel(false);
                slots = null;
                shedding = false;
                LOG.info("rebalance round finished", "round", lastRound, "open", registry.active());
            }
        } catch (RuntimeException e) {
            LOG.error("rebalance slot failed", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
