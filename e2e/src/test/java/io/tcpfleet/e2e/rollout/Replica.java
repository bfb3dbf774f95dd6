package io.tcpfleet.e2e.rollout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** One server process standing in for one pod: what the kubelet can do to it. */
public interface Replica extends AutoCloseable {

    /** The pod template it was started from. */
    PodTemplate template();

    /** Where clients connect (the pod IP and container port). */
    InetSocketAddress endpoint();

    /** The readiness probe, once. */
    boolean ready();

    /** Runs the pod's preStop hook to its end or the budget; its exit code, empty when cut at the budget. */
    OptionalInt preStop(Duration budget);

    /** The server process standing in for the pod's container. */
    Process process();

    /** SIGTERM. */
    default void terminate() {
        process().destroy();
    }

    /** SIGKILL. */
    default void kill() {
        process().destroyForcibly();
    }

    /** Waits up to the timeout for the process to exit; its exit code, or empty while it still runs. */
    default OptionalInt awaitExit(Duration timeout) {
        try {
            return process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process().exitValue())
                    : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    default long pid() {
        return process().pid();
    }

    @Override
    public default void close() {
        kill();
        awaitExit(Duration.ofSeconds(10));
    }
}
