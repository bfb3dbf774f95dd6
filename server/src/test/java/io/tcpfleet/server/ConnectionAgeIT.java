package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.drain.DrainResult;
import io.tcpfleet.server.testing.CloseWatch;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ConnectionAgeIT {

    private static final String CLOSED_MAX_AGE = "tcpfleet_connections_closed_total{reason=\"max_age\"}";

    @Test
    void anIdleConnectionIsClosedAtItsAgeAndCountedAsMaxAge() throws Exception {
        try (TestServer server = TestServer.start(
                "--max-connection-age", "2s", "--max-connection-age-jitter", "0", "--idle-timeout", "0")) {
            long beforeConnect = System.nanoTime();
            try (Socket client = Wire.connect(server.address())) {
                assertThat(Wire.roundTrip(client, "hello")).isEqualTo("hello");

                assertThat(Wire.closedByPeer(client)).as("closed by the server").isTrue();
                assertThat(System.nanoTime() - beforeConnect)
                        .as("not before its age")
                        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertThat(server.metric(CLOSED_MAX_AGE)).isEqualTo(1.0));
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"client\"}"))
                    .isZero();
        }
    }

    @Test
    void jitterSpreadsTheDeadlinesOfConnectionsOpenedTogether() throws Exception {
        int connections = 40;
        try (TestServer server = TestServer.start(
                        "--max-connection-age", "3s", "--max-connection-age-jitter", "50", "--idle-timeout", "0");
                CloseWatch watch = CloseWatch.open(server.address(), connections)) {
            watch.awaitAllClosed(Duration.ofSeconds(30));

            // Uniform over 1.5 s to 4.5 s: 40 deadlines all within one second of each other would be
            // a chance below 1e-10; without the jitter they come within milliseconds.
            assertThat(watch.spreadSeconds()).isGreaterThan(1.0);
            assertThat(server.metric(CLOSED_MAX_AGE)).isEqualTo(connections);
        }
    }

    @Test
    void aBusyConnectionKeepsItsBytesUntilTheEndOfItsGrace() throws Exception {
        try (TestServer server = TestServer.start(
                "--max-connection-age", "1s", "--max-connection-age-jitter", "0", "--max-connection-age-grace", "3s")) {
            long beforeConnect = System.nanoTime();
            try (DrainIT.BusyClient busy = new DrainIT.BusyClient(server)) {
                long connected = System.nanoTime();
                busy.awaitProgress();
                Awaitility.await().until(() -> System.nanoTime() - connected > TimeUnit.MILLISECONDS.toNanos(1500));
                busy.awaitProgress();
                assertThat(busy.loop.isDone())
                        .as("still echoing past its age, in its grace")
                        .isFalse();

                // BusyClient stops at the first round trip that does not come back whole.
                assertThat(busy.loop).succeedsWithin(Duration.ofSeconds(30));
                assertThat(System.nanoTime() - beforeConnect)
                        .as("not before age + grace")
                        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(4));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertThat(server.metric(CLOSED_MAX_AGE)).isEqualTo(1.0));
        }
    }

    @Test
    void aPluginIsAskedThroughItsDrainCallbackWhenItsConnectionIsOld() throws Exception {
        try (TestServer server = TestServer.start(
                        "--handler", "ping", "--max-connection-age", "1s", "--max-connection-age-jitter", "0");
                Socket client = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(client, "PING")).isEqualTo("PONG");
            Thread.sleep(500); // busy at its age: asked, not closed as idle
            assertThat(Wire.roundTrip(client, "PING")).isEqualTo("PONG");

            assertThat(readLine(client.getInputStream())).isEqualTo("RECONNECT");
            assertThat(server.server().drain().isDraining()).isFalse();
            client.close();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"client\"}"))
                                    .isEqualTo(1.0));
        }
    }

    @Test
    void aConnectionTheDrainAskedIsNotAskedAgainAtItsAge() throws Exception {
        try (TestServer server = TestServer.start(
                        "--handler",
                        "ping",
                        "--max-connection-age",
                        "2s",
                        "--max-connection-age-jitter",
                        "0",
                        "--drain-delay",
                        "0",
                        "--drain-timeout",
                        "30s");
                Socket client = Wire.connect(server.address())) {
            long opened = System.nanoTime();
            assertThat(Wire.roundTrip(client, "PING")).isEqualTo("PONG");
            CompletableFuture<DrainResult> drain = server.server().drain().start("test");

            // Busy past the age (so not closed as idle), then gone by itself.
            List<String> lines = new ArrayList<>();
            InputStream in = client.getInputStream();
            while (System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(4)) {
                client.getOutputStream().write("PING\n".getBytes(StandardCharsets.US_ASCII));
                String line = readLine(in);
                while (!line.equals("PONG")) {
                    lines.add(line);
                    line = readLine(in);
                }
                Thread.sleep(100); // a steady trickle, never idle for a second
            }
            client.close();

            assertThat(lines).containsExactly("RECONNECT");
            assertThat(drain).succeedsWithin(Duration.ofSeconds(30));
            assertThat(server.metric(CLOSED_MAX_AGE)).isZero();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }
}
