package io.tcpfleet.e2e.load;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The addresses a client may connect to, shared with whoever runs the servers and changed while the
 * client runs: the test's stand-in for a Service's EndpointSlice as kube-proxy sees it.
 */
public final class EndpointSet {

    private final CopyOnWriteArrayList<InetSocketAddress> endpoints = new CopyOnWriteArrayList<>();

    public void add(InetSocketAddress endpoint) {
        endpoints.addIfAbsent(endpoint);
    }

    public void remove(InetSocketAddress endpoint) {
        endpoints.remove(endpoint);
    }

    public boolean contains(InetSocketAddress endpoint) {
        return endpoints.contains(endpoint);
    }

    public List<InetSocketAddress> snapshot() {
        return List.copyOf(endpoints);
    }

    /** One endpoint chosen uniformly at random (as kube-proxy's random mode does), or empty when there is none. */
    public Optional<InetSocketAddress> pick() {
        List<InetSocketAddress> now = snapshot();
        if (now.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(now.get(ThreadLocalRandom.current().nextInt(now.size())));
    }
}
