package io.tcpfleet.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.load.LoadConfig;
import io.tcpfleet.e2e.load.LoadCounters;
import io.tcpfleet.e2e.rollout.Fleet;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.PodTemplate;
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.rollout.TcpfleetReplica;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connection limits of one replica: a flood past max, silent clients, a client that never reads. */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class ConnectionLimitsE2E {

    private static final String REFUSED = "tcpfleet_connections_refused_total";
    private static final String CLOSED = "tcpfleet_connections_closed_total";
    private static final String ACTIVE = "tcpfleet_connections_active";
    private static final String RECEIVED = "tcpfleet_bytes_received_total";

    @Test
    void floodAtTwiceMaxIsRefusedAndCountedWhileExistingConnectionsCarryOn(KubernetesClient client, TestNamespace ns)
            throws IOException {
        int max = 20;
        PodTemplate template = Scenario.template(
                client,
                ns,
                TcpServices.echo("flood", 1, Loopback.freePort(), "1s", "2s", "")
                        .replace("max: 1000", "max: " + max));
        LoadConfig existing =
                LoadConfig.defaults().withConnections(10).withThink(Duration.ofMillis(20), Duration.ofMillis(50));
        List<Socket> flood = new ArrayList<>();
        try (Fleet fleet = Scenario.fleet("flood");
                LoadClient load = new LoadClient(existing, fleet.endpoints())) {
            TcpfleetReplica server = (TcpfleetReplica) fleet.surge(template);
            load.start();
            Scenario.awaitMoreOk(load, 100);
            long rssBefore = server.residentBytes();
            double refusedBefore = server.metric(REFUSED, "");

            int attempts = 2 * max - existing.connections(); // 2x max connections in all
            for (int i = 0; i < attempts; i++) {
                flood.add(Scenario.connect(server.endpoint()));
            }
            int expectRefused = 2 * max - max;
            Awaitility.await("server counts the excess as refused")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.metric(REFUSED, "") - refusedBefore >= expectRefused);
            long cut = flood.stream()
                    .filter(s -> Scenario.closedByPeerWithin(s, Duration.ofMillis(300)))
                    .count();
            Scenario.awaitMoreOk(load, 100);
            long rssAfter = server.residentBytes();
            double active = server.metric(ACTIVE, "");
            double refused = server.metric(REFUSED, "") - refusedBefore;
            LoadCounters.Snapshot seen = load.stop(Duration.ofSeconds(30));
            Results.record(
                    "connection flood at 2x max",
                    "max " + max + ", " + existing.connections() + " busy connections, then " + attempts
                            + " more opened",
                    "refused (server metric) " + (long) refused + ", cut (client) " + cut
                            + ", active " + (long) active + ", RSS " + rssBefore / 1048576 + " -> " + rssAfter / 1048576
                            + " MiB; existing: " + seen.summary());

            assertThat(refused).isEqualTo(expectRefused);
            assertThat(cut)
                    .as("the client sees exactly the refused ones closed")
                    .isEqualTo(expectRefused);
            assertThat(active).isEqualTo(max);
            assertThat(rssAfter - rssBefore).as("memory bounded").isLessThan(64L * 1024 * 1024);
            assertThat(seen.requestsFailed() + seen.resets() + seen.serverCloses())
                    .as(seen.summary())
                    .isZero();
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }

    @Test
    void clientsThatConnectAndSendNothingAreCutByTheIdleTimeout(KubernetesClient client, TestNamespace ns)
            throws IOException {
        PodTemplate template = Scenario.template(
                client,
                ns,
                TcpServices.echo("silent", 1, Loopback.freePort(), "1s", "2s", "")
                        .replace("idleTimeout: 60s", "idleTimeout: 2s"));
        LoadConfig active =
                LoadConfig.defaults().withConnections(5).withThink(Duration.ofMillis(200), Duration.ofMillis(400));
        List<Socket> silent = new ArrayList<>();
        try (Fleet fleet = Scenario.fleet("idle-timeout");
                LoadClient load = new LoadClient(active, fleet.endpoints())) {
            TcpfleetReplica server = (TcpfleetReplica) fleet.surge(template);
            load.start();
            for (int i = 0; i < 10; i++) {
                silent.add(Scenario.connect(server.endpoint()));
            }
            long cut = silent.stream()
                    .filter(s -> Scenario.closedByPeerWithin(s, Duration.ofSeconds(15)))
                    .count();
            Scenario.awaitMoreOk(load, 20);
            double idleClosed = server.metric(CLOSED, "reason=\"idle\"");
            LoadCounters.Snapshot seen = load.stop(Duration.ofSeconds(30));
            Results.record(
                    "silent clients",
                    "10 connections that send nothing, idleTimeout 2s, beside 5 active ones",
                    "cut " + cut + "/10, closed{reason=idle} " + (long) idleClosed + "; active: " + seen.summary());

            assertThat(cut).isEqualTo(10);
            assertThat(idleClosed).isGreaterThanOrEqualTo(10);
            assertThat(seen.serverCloses() + seen.requestsFailed())
                    .as("active clients untouched: " + seen.summary())
                    .isZero();
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatNeverReadsMakesTheServerStopReadingAndIsCutWhenIdle(KubernetesClient client, TestNamespace ns)
            throws Exception {
        PodTemplate template = Scenario.template(
                client,
                ns,
                TcpServices.echo("slow", 1, Loopback.freePort(), "1s", "2s", "")
                        .replace("idleTimeout: 60s", "idleTimeout: 3s"));
        try (Fleet fleet = Scenario.fleet("slow-reader");
                Socket greedy = new Socket()) {
            TcpfleetReplica server = (TcpfleetReplica) fleet.surge(template);
            greedy.setReceiveBufferSize(4096);
            greedy.connect(server.endpoint(), 2000);
            AtomicLong written = new AtomicLong();
            CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> writeUntilCut(greedy, written));

            AtomicReference<Double> last = new AtomicReference<>(-1.0);
            Awaitility.await("server stops reading: bytes received stop growing")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(700))
                    .until(() -> {
                        double now = server.metric(RECEIVED, "");
                        // Equal twice in a row; it stays so after the cut, so a slow poll cannot miss it.
                        return now > 0 && now == last.getAndSet(now);
                    });
            double plateau = last.get();
            long writtenAtPlateau = written.get();
            String cut = writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            // The reset reaches the client as the socket closes; the close is counted a loop task later.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(server.metric(CLOSED, "reason=\"idle\""))
                            .as("cut as idle once it stopped being read")
                            .isGreaterThanOrEqualTo(1));
            double idleClosed = server.metric(CLOSED, "reason=\"idle\"");
            long rss = server.residentBytes();
            Results.record(
                    "client that never reads",
                    "1 connection writing 16 KiB chunks, receive buffer 4 KiB, idleTimeout 3s",
                    "server received " + (long) plateau + " B then stopped (client had written " + writtenAtPlateau
                            + " B); cut: " + cut + "; closed{reason=idle} " + (long) idleClosed + "; RSS "
                            + rss / 1048576 + " MiB");

            assertThat(plateau)
                    .as("bounded: watermarks and socket buffers, not the stream")
                    .isLessThan(32.0 * 1024 * 1024);
            // Cut as idle (no inbound bytes for 3 s) while the client never stopped writing: the server had stopped
            // reading.
            assertThat(idleClosed).as("cut as idle once it stopped being read").isGreaterThanOrEqualTo(1);
            assertThat(cut).as("the writer was cut, not finished").isNotEqualTo("never cut");
        }
    }

    /** Writes until the connection breaks; the error seen. */
    private static String writeUntilCut(Socket s, AtomicLong written) {
        byte[] chunk = new byte[16 * 1024];
        try {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 1_000_000; i++) { // bounded: 16 GiB, far beyond any buffer
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            return "never cut";
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
