package io.tcpfleet.e2e.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A load client for tcpfleet's echo handler (and the line-protocol plugin): {@link LoadConfig#connections()}
 * connections, each with one request outstanding at a time, every answered byte compared with what
 * was sent, a request that was not answered re-sent on a new connection, reconnects with exponential
 * backoff and full jitter, endpoints picked from a shared {@link EndpointSet} that may change while
 * it runs. Blocking sockets, one thread per connection: meant for tens to hundreds of connections.
 *
 * <pre>{@code
 * try (LoadClient client = new LoadClient(LoadConfig.defaults().withConnections(30), endpoints)) {
 *     client.start();
 *     ... roll the servers ...
 *     LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(20));
 * }
 * }</pre>
 */
public final class LoadClient implements AutoCloseable {

    private final LoadConfig config;
    private final EndpointSet endpoints;
    private final LoadCounters counters = new LoadCounters();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public LoadClient(LoadConfig config, EndpointSet endpoints) {
        this.config = config;
        this.endpoints = endpoints;
    }

    public synchronized void start() {
        if (running || !threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        running = true;
        for (int i = 0; i < config.connections(); i++) {
            Thread t = new Thread(new ConnectionWorker(i, config, endpoints, counters, () -> running), "load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public LoadCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /**
     * Stops issuing requests, lets outstanding ones finish (answered, or failed after their retries),
     * closes every connection and returns the final counters.
     */
    public synchronized LoadCounters.Snapshot stop(Duration timeout) {
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long alive = threads.stream().filter(Thread::isAlive).count();
        if (alive > 0) {
            throw new IllegalStateException(alive + " load connections still busy after " + timeout);
        }
        return counters.snapshot();
    }

    @Override
    public void close() {
        if (running) {
            stop(config.requestTimeout().multipliedBy(config.maxAttempts() + 2L).plus(config.thinkMax()));
        }
    }
}
