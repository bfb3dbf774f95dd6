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
final class Fleet implements AutoCloseable {

    /** Starts one replica from a template on its own pod IP. */
    interface ReplicaFactory {
        Replica start(PodTemplate template, InetAddress podIp, Path logDir);
    }

    /** How one old replica ended. */
    record Termination(long pid, OptionalInt preStopExit, OptionalInt exitCode, Duration elapsed, Duration grace,
                       boolean killedAtGrace) {
        boolean cleanWithinGrace() {
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

    Fleet(ReplicaFactory factory, Duration propagationDelay, Path logDir) {
        this.factory = factory;
        this.propagationDelay = propagationDelay;
        this.logDir = logDir;
    }

    EndpointSet endpoints() {
        return endpoints;
    }

    List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** Starts n replicas of the template and waits until all are ready and in the endpoints. */
    void scaleTo(PodTemplate template, int n) {
        while (replicas.size() < n) {
            surge(template);
        }
    }

    /** One more replica: started, probed until ready, then added to the endpoints. */
    Replica surge(PodTemplate template) {
        Replica r = factory.start(template, Loopback.nextAddress(), logDir);
        everStarted.add(r);
        Awaitility.await("replica " + r.endpoint() + " ready")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (r.awaitExit(Duration.ZERO).isPresent()) {
                        throw new IllegalStateException("replica " + r.endpoint() + " exited before it was ready, see " + logDir);
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
    List<Termination> rollingUpdate(PodTemplate next) {
        List<CompletableFuture<Termination>> ends = new ArrayList<>();
        for (Replica old : List.copyOf(replicas)) {
            surge(next);
            ends.add(CompletableFuture.supplyAsync(() -> terminate(old, old.template().gracePeriod())));
        }
        return ends.stream().map(CompletableFuture::join).toList();
    }

    /** The pod deletion sequence for one replica; blocks until it has exited or been killed. */
    Termination terminate(Replica r, Duration grace) {
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
    void crash(Replica r, Duration unnoticedFor) {
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
