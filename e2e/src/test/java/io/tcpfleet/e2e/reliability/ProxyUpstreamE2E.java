package io.tcpfleet.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.load.LoadConfig;
import io.tcpfleet.e2e.load.LoadCounters;
import io.tcpfleet.e2e.rollout.Fleet;
import io.tcpfleet.e2e.rollout.GoEchoReplica;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.PodTemplate;
import io.tcpfleet.e2e.rollout.Replica;
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpfleetReplica;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The proxy handler in front of an upstream that is killed and comes back. */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class ProxyUpstreamE2E {

    private static final String CIRCUIT_OPEN = "tcpfleet_upstream_circuit_open";
    private static final String UPSTREAM_FAILURES = "tcpfleet_upstream_failures_total";
    private static final String ACTIVE = "tcpfleet_connections_active";

    @Test
    void upstreamKilledAndRestartedFailsFastWhileOpenThenRecoversWithNoStuckConnections(
            KubernetesClient client, TestNamespace ns) throws Exception {
        InetAddress upstreamIp = Loopback.nextAddress();
        int upstreamPort = Loopback.freePort();
        // The upstream is not ours to run in a pod: a plain Go echo server at a fixed address.
        PodTemplate upstreamPod =
                new PodTemplate(null, Map.of(), List.of(), Duration.ofSeconds(1), "/", 0, upstreamPort);
        PodTemplate proxy = Scenario.template(
                client, ns, """
                apiVersion: tcpfleet.io/v1alpha1
                kind: TcpService
                metadata:
                  name: proxy
                spec:
                  replicas: 1
                  handler: proxy
                  port: %d
                  upstream:
                    host: %s
                    port: %d
                    connectTimeout: 500ms
                  drain:
                    delay: 1s
                    timeout: 2s
                """.formatted(Loopback.freePort(), upstreamIp.getHostAddress(), upstreamPort));
        LoadConfig load = LoadConfig.defaults()
                .withConnections(10)
                .withThink(Duration.ofMillis(50), Duration.ofMillis(100))
                .withRequestTimeout(Duration.ofSeconds(2));
        Replica upstream = GoEchoReplica.start(upstreamPod, upstreamIp, Results.logDir("proxy"));
        Replica restarted = null;
        try (Fleet fleet = Scenario.fleet("proxy");
                LoadClient clients = new LoadClient(load, fleet.endpoints())) {
            Awaitility.await("upstream up").atMost(Duration.ofSeconds(30)).until(upstream::ready);
            TcpfleetReplica server = (TcpfleetReplica) fleet.surge(proxy);
            clients.start();
            Scenario.awaitMoreOk(clients, 100);
            LoadCounters.Snapshot beforeOutage = clients.counters();

            upstream.kill();
            upstream.awaitExit(Duration.ofSeconds(10));
            Awaitility.await("breaker opens")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> server.metric(CIRCUIT_OPEN, "") == 1.0);
            double failuresWhenOpened = server.metric(UPSTREAM_FAILURES, "");
            long probeStart = System.nanoTime();
            boolean probeCut;
            try (Socket probe = Scenario.connect(server.endpoint())) {
                probe.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                probeCut = Scenario.closedByPeerWithin(probe, Duration.ofSeconds(5));
            }
            long probeMillis = (System.nanoTime() - probeStart) / 1_000_000;
            boolean stillOpen = server.metric(CIRCUIT_OPEN, "") == 1.0;
            double failuresWhileOpen = server.metric(UPSTREAM_FAILURES, "") - failuresWhenOpened;
            LoadCounters.Snapshot duringOutage = clients.counters();

            restarted = GoEchoReplica.start(upstreamPod, upstreamIp, Results.logDir("proxy"));
            Awaitility.await("breaker closes after the upstream is back")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> server.metric(CIRCUIT_OPEN, "") == 0.0);
            Scenario.awaitMoreOk(clients, 100);
            LoadCounters.Snapshot seen = clients.stop(Duration.ofSeconds(30));
            Awaitility.await("no connection left open at the proxy")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.metric(ACTIVE, "") == 0.0);
            Results.record(
                    "proxy, upstream killed and restarted",
                    "10 connections through the proxy; upstream SIGKILLed," + " restarted after the breaker opened",
                    "probe while open cut after " + probeMillis + "ms"
                            + (stillOpen
                                    ? " (breaker still open, " + (long) failuresWhileOpen
                                            + " upstream attempts meanwhile)"
                                    : "")
                            + "; failed during outage "
                            + (duringOutage.requestsFailed() - beforeOutage.requestsFailed())
                            + "; final: " + seen.summary() + "; active at proxy after stop: 0");

            assertThat(probeCut).isTrue();
            if (stillOpen) {
                assertThat(probeMillis).as("fails fast while open").isLessThan(1000);
            }
            assertThat(seen.requestsOk()).isGreaterThan(duringOutage.requestsOk());
            assertThat(seen.corruptResponses()).isZero();
        } finally {
            upstream.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }
}
