package io.tcpfleet.e2e.rollout;

import io.tcpfleet.e2e.load.EndpointSet;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Server processes managed the way a Deployment with {@code maxSurge: 1, maxUnavailable: 0} and the
 * kubelet manage pods: a new replica joins the endpoints only once its readiness probe passes; an
 * old one is terminated by running its preStop hook while its endpoint disappears after the
 * propagation delay (the endpoints controller and kube-proxy are not instant), then SIGTERM, then
 * SIGKILL when the grace period is over.
 */
public final class Fleet implements AutoCloseable {

    /** Starts one replica from a template on its own pod IP. */
    public interface ReplicaFactory {
        Replica start(PodTemplate template, InetAddress podIp, Path logDir);
    }

    /** How one old replica ended. */
    public record Termination(
            long pid,
            OptionalInt preStopExit,
            OptionalInt exitCode,
            Duration elapsed,
            Duration grace,
            boolean killedAtGrace) {
        /** For reports: "preStop 0, exit 0 after 3108ms" (or "killed at the grace period"). */
        public String describe() {
            return "preStop " + (preStopExit.isPresent() ? preStopExit.getAsInt() : "cut") + ", exit "
                    + (exitCode.isPresent() ? exitCode.getAsInt() : "none") + (killedAtGrace ? " killed at grace" : "")
                    + " after " + elapsed.toMillis() + "ms";
        }

        public boolean cleanWithinGrace() {
            return exitCode.isPresent() && exitCode.getAsInt() == 0 && !killedAtGrace;
        }
    }

    private final ReplicaFactory factory;
    private final Duration propagationDelay;
    private final Path logDir;
    private final EndpointSet endpoints = new EndpointSet();
    private final List<Replica> replicas = new CopyOnWriteArrayList<>();
    private final List<Replica> everStarted = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

    public Fleet(ReplicaFactory factory, Duration propagationDelay, Path logDir) {
        this.factory = factory;
        this.propagationDelay = propagationDelay;
        this.logDir = logDir;
    }

    public EndpointSet endpoints() {
        return endpoints;
    }

    public List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** Starts n replicas of the template and waits until all are ready and in the endpoints. */
    public void scaleTo(PodTemplate template, int n) {
        while (replicas.size() < n) {
            surge(template);
        }
    }

    /** One more replica: started, probed until ready, then added to the endpoints. */
    public Replica surge(PodTemplate template) {
        Replica r = factory.start(template, Loopback.nextAddress(), logDir);
        everStarted.add(r);
        Awaitility.await("replica " + r.endpoint() + " ready")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (r.awaitExit(Duration.ZERO).isPresent()) {
                        throw new IllegalStateException(
                                "replica " + r.endpoint() + " exited before it was ready, see " + logDir);
                    }
                    return r.ready();
                });
        replicas.add(r);
        endpoints.add(r.endpoint());
        return r;
    }

    /**
     * Replaces every replica by one of the new template, one at a time: surge one, then terminate one
     * old (terminations overlap, as pods' do). Returns once every old replica has ended.
     */
    public List<Termination> rollingUpdate(PodTemplate next) {
        List<CompletableFuture<Termination>> ends = new ArrayList<>();
        for (Replica old : List.copyOf(replicas)) {
            surge(next);
            ends.add(CompletableFuture.supplyAsync(
                    () -> terminate(old, old.template().gracePeriod())));
        }
        return ends.stream().map(CompletableFuture::join).toList();
    }

    /** The pod deletion sequence for one replica; blocks until it has exited or been killed. */
    public Termination terminate(Replica r, Duration grace) {
        long start = System.nanoTime();
        replicas.remove(r);
        timers.schedule(() -> endpoints.remove(r.endpoint()), propagationDelay.toMillis(), TimeUnit.MILLISECONDS);
        OptionalInt preStop = r.preStop(grace);
        r.terminate();
        Duration left = grace.minusNanos(System.nanoTime() - start);
        OptionalInt exit = r.awaitExit(left.isNegative() ? Duration.ZERO : left);
        boolean killed = exit.isEmpty();
        if (killed) {
            r.kill();
            exit = r.awaitExit(Duration.ofSeconds(10));
        }
        return new Termination(r.pid(), preStop, exit, Duration.ofNanos(System.nanoTime() - start), grace, killed);
    }

    /**
     * kill -9 of a replica: it is gone at once; its endpoint goes only when the readiness probe has
     * failed enough times and the change has propagated, which is {@code unnoticedFor}.
     */
    public void crash(Replica r, Duration unnoticedFor) {
        replicas.remove(r);
        r.kill();
        r.awaitExit(Duration.ofSeconds(10));
        timers.schedule(() -> endpoints.remove(r.endpoint()), unnoticedFor.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        for (Replica r : everStarted) {
            r.close();
        }
    }
}
