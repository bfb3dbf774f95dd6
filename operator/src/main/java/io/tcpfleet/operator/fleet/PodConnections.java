package io.tcpfleet.operator.fleet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.tcpfleet.operator.model.TcpServiceResources;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The active connections of a fleet's pods, scraped from each pod's admin port ({@code GET /metrics} on the pod IP,
 * as Prometheus does), all pods at once. Only asked when a decision needs the counts, never on a timer of its own:
 * see "Knowing each pod's connections" in docs/design.md for the cost.
 */
@Singleton
public final class PodConnections {

    /** The server's gauge of open client connections, in the Prometheus text format. */
    static final String ACTIVE = "tcpfleet_connections_active";

    /** A pod that cannot answer within these is counted as unknown: a scale-down waits for it at most this long. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    // HTTP/1.1: the admin port speaks it, and the JDK's default HTTP/2 would first ask to upgrade.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    /** Active connections of each pod that answered (pod name -> count); pods that did not answer are absent. */
    public Map<String, Long> read(List<Pod> pods) {
        Map<String, CompletableFuture<OptionalLong>> asked = new HashMap<>();
        for (Pod pod : pods) {
            metricsUri(pod)
                    .ifPresent(uri -> asked.put(
                            pod.getMetadata().getName(),
                            http.sendAsync(
                                            HttpRequest.newBuilder(uri)
                                                    .timeout(ANSWER_TIMEOUT)
                                                    .GET()
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .thenApply(PodConnections::activeConnections)
                                    // The whole exchange, connect included, is bounded even if a timeout above slips.
                                    .completeOnTimeout(
                                            OptionalLong.empty(),
                                            CONNECT_TIMEOUT.plus(ANSWER_TIMEOUT).toMillis(),
                                            TimeUnit.MILLISECONDS)
                                    .exceptionally(failed -> OptionalLong.empty())));
        }
        return asked.entrySet().stream()
                .filter(e -> e.getValue().join().isPresent())
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().join().getAsLong()));
    }

    /** The admin port's /metrics on the pod IP; none for a pod without an IP or an admin port. */
    static Optional<URI> metricsUri(Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || ip.isEmpty()) {
            return Optional.empty();
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return pod.getSpec().getContainers().stream()
                .map(Container::getPorts)
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .filter(p -> TcpServiceResources.ADMIN_PORT_NAME.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .map(port -> URI.create("http://" + host + ":" + port + "/metrics"));
    }

    private static OptionalLong activeConnections(HttpResponse<String> response) {
        return response.statusCode() == 200 ? activeConnections(response.body()) : OptionalLong.empty();
    }

    /** The gauge's value in a Prometheus text exposition; none when the page does not have it. */
    static OptionalLong activeConnections(String exposition) {
        return exposition
                .lines()
                .filter(l -> l.startsWith(ACTIVE + " ") || l.startsWith(ACTIVE + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .reduce(Long::sum);
    }
}
