package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.drain.DrainResult;
import io.tcpfleet.server.testing.CloseWatch;
import io.tcpfleet.server.testing.Http;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebalanceIT {

    private static final String CLOSED_REBALANCE = "tcpfleet_connections_closed_total{reason=\"rebalance\"}";
    /** Past the server's idle threshold (no byte for 1 s), which no metric exposes to wait on: time has to pass. */
    private static final long PAST_IDLE_MILLIS = 1_200;
    /** Past one read of the file (every second): nothing to await when the point is that nothing happens. */
    private static final long PAST_ONE_POLL_MILLIS = 1_500;

    @TempDir
    Path dir;

    @Test
    void aRoundClosesExactlyTheOldestConnectionsItAsksForAtItsRate() throws Exception {
        int connections = 100;
        int shed = 40;
        int rate = 20;
        Path annotations = annotate(dir, null);
        try (TestServer server = TestServer.start(
                        "--rebalance-file", annotations.toString(), "--idle-timeout", "0", "--drain-delay", "0s");
                CloseWatch watch = CloseWatch.open(server.address(), connections)) {
            Thread.sleep(PAST_IDLE_MILLIS); // every connection idle: each ask closes it

            annotate(dir, "1:" + shed + ":" + rate);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> watch.closed() >= shed);
            Thread.sleep(PAST_ONE_POLL_MILLIS); // a round that overshot would close its next within a slot

            assertThat(watch.closedIndexes())
                    .as("the oldest, and only them")
                    .isEqualTo(IntStream.range(0, shed).boxed().collect(Collectors.toSet()));
            // 20 slots a second; a late slot never makes the next ones bunch up.
            assertThat(watch.mostClosesInOneSecond()).isLessThanOrEqualTo(rate + rate / 4);
            assertThat(watch.spreadSeconds()).as("39 gaps of 1/20 s").isGreaterThanOrEqualTo(1.5);
            assertThat(server.metric(CLOSED_REBALANCE)).isEqualTo(shed);
            assertThat(server.metric("tcpfleet_connections_active")).isEqualTo(connections - shed);
            assertThat(server.metric("tcpfleet_rebalance_requests_total{result=\"started\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aRepeatedRoundDoesNothingAndAMalformedValueIsCountedOnceNotFatal() throws Exception {
        Path annotations = annotate(dir, null);
        try (TestServer server = TestServer.start(
                        "--rebalance-file", annotations.toString(), "--idle-timeout", "0", "--drain-delay", "0s");
                CloseWatch watch = CloseWatch.open(server.address(), 20)) {
            Thread.sleep(PAST_IDLE_MILLIS);
            annotate(dir, "1:5:100");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watch.closed() == 5);

            annotate(dir, "1:10:100"); // the same round, another count: still round 1
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.metric("tcpfleet_rebalance_requests_total{result=\"repeated\"}") == 1.0);
            annotate(dir, "2 connections please");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.metric("tcpfleet_rebalance_requests_total{result=\"malformed\"}") == 1.0);
            Thread.sleep(PAST_ONE_POLL_MILLIS); // read again, not counted again
            assertThat(server.metric("tcpfleet_rebalance_requests_total{result=\"malformed\"}"))
                    .isEqualTo(1.0);
            assertThat(watch.closed()).isEqualTo(5);

            annotate(dir, "2:3:100");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watch.closed() == 8);
            assertThat(server.metric(CLOSED_REBALANCE)).isEqualTo(8.0);
        }
    }

    @Test
    void theRoundPresentAtStartIsTakenAsDone() throws Exception {
        Path annotations = annotate(dir, "5:10:100");
        try (TestServer server = TestServer.start(
                        "--rebalance-file", annotations.toString(), "--idle-timeout", "0", "--drain-delay", "0s");
                CloseWatch watch = CloseWatch.open(server.address(), 20)) {
            Thread.sleep(PAST_IDLE_MILLIS + PAST_ONE_POLL_MILLIS);
            assertThat(watch.closed()).isZero();

            annotate(dir, "6:2:100");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watch.closed() == 2);
        }
    }

    @Test
    void aDrainInProgressWins() throws Exception {
        Path annotations = annotate(dir, null);
        try (TestServer server = TestServer.start(
                        "--rebalance-file", annotations.toString(), "--drain-delay", "30s", "--idle-timeout", "0");
                CloseWatch watch = CloseWatch.open(server.address(), 10)) {
            Thread.sleep(PAST_IDLE_MILLIS);
            CompletableFuture<DrainResult> drain = server.server().drain().start("test");

            annotate(dir, "1:5:100");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.metric("tcpfleet_rebalance_requests_total{result=\"draining\"}") == 1.0);
            assertThat(watch.closed()).as("still in the drain's delay").isZero();
            server.server().drain().skipAhead();
            assertThat(drain).succeedsWithin(Duration.ofSeconds(30));
            assertThat(server.metric(CLOSED_REBALANCE)).isZero();
        }
    }

    /**
     * A round takes the pod out of the Service first (not ready for the drain's delay, as a drain does) and puts
     * it back when done, so that its shed clients reconnect to the other pods and not to it.
     */
    @Test
    void aRoundReadsNotReadyFromBeforeItsFirstCloseUntilItsEnd() throws Exception {
        Path annotations = annotate(dir, null);
        try (TestServer server = TestServer.start(
                        "--rebalance-file", annotations.toString(), "--idle-timeout", "0", "--drain-delay", "2s");
                CloseWatch watch = CloseWatch.open(server.address(), 10)) {
            Thread.sleep(PAST_IDLE_MILLIS);
            assertThat(Http.status(server.admin(), "/health/ready")).isEqualTo(200);

            annotate(dir, "1:4:20");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Http.status(server.admin(), "/health/ready") == 503);
            long notReady = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watch.closed() >= 1);
            assertThat(Duration.ofNanos(System.nanoTime() - notReady))
                    .as("the first close waits the drain's delay after the pod went not ready")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Http.status(server.admin(), "/health/ready") == 200);
            assertThat(watch.closed()).isEqualTo(4);
            assertThat(server.server().drain().isDraining()).isFalse();
        }
    }

    @Test
    void aPluginIsAskedThroughItsDrainCallback() throws Exception {
        Path annotations = annotate(dir, null);
        try (TestServer server = TestServer.start(
                        "--handler", "ping", "--rebalance-file", annotations.toString(), "--drain-delay", "0s");
                Socket client = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(client, "PING")).isEqualTo("PONG");
            annotate(dir, "1:1:10");
            assertThat(readLine(client.getInputStream())).isEqualTo("RECONNECT");
            assertThat(server.server().drain().isDraining()).isFalse();
        }
    }

    /**
     * Clients that talk every 2 s (idle for the server half of the time, as many real ones are) and, when the
     * server closes them, reconnect and send again what was not echoed whole: every byte comes back, the
     * shed ones reconnect once, the others never.
     */
    @Test
    void clientsThatReconnectLoseNoByteAndOnlyTheShedOnesReconnect() throws Exception {
        int clients = 20;
        int shed = 8;
        int messages = 8;
        Path annotations = annotate(dir, null);
        try (TestServer server = TestServer.start(
                "--rebalance-file", annotations.toString(), "--idle-timeout", "0", "--drain-delay", "0s")) {
            List<ReconnectingClient> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                all.add(new ReconnectingClient(server.address(), "client " + i));
            }
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (ReconnectingClient c : all) {
                runs.add(CompletableFuture.runAsync(() -> c.talk(messages)));
            }
            Thread.sleep(PAST_IDLE_MILLIS); // all of them past their first message
            annotate(dir, "1:" + shed + ":4");
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get();

            for (ReconnectingClient c : all) {
                assertThat(c.echoed.toString()).as(c.name).isEqualTo(c.sent.toString());
            }
            assertThat(all.stream().mapToInt(c -> c.reconnects).sum()).isEqualTo(shed);
            assertThat(all.subList(0, shed))
                    .allSatisfy(c -> assertThat(c.reconnects).as(c.name).isEqualTo(1));
            assertThat(server.metric(CLOSED_REBALANCE)).isEqualTo(shed);
        }
    }

    /** A second of it idle for the server: long enough that a slot finds each asked client idle. */
    private static final long TALK_EVERY_MILLIS = 2_000;

    private static final class ReconnectingClient {
        final InetSocketAddress server;
        final String name;
        final StringBuilder sent = new StringBuilder();
        final StringBuilder echoed = new StringBuilder();
        int reconnects;
        Socket socket;

        ReconnectingClient(InetSocketAddress server, String name) throws IOException {
            this.server = server;
            this.name = name;
            this.socket = Wire.connect(server);
            // Admitted before the next one connects (connect returns before the server's event loop has
            // it): client 0 is the oldest for the server too.
            if (!Wire.roundTrip(socket, name).equals(name)) {
                throw new IOException(name + " was not echoed");
            }
        }

        void talk(int messages) {
            try {
                for (int i = 0; i < messages; i++) {
                    String line = name + " message " + i;
                    sent.append(line).append('\n');
                    while (true) {
                        String back = roundTripOrNull(line);
                        if (back != null) {
                            echoed.append(back).append('\n');
                            break;
                        }
                        socket.close();
                        socket = Wire.connect(server);
                        reconnects++;
                    }
                    Thread.sleep(TALK_EVERY_MILLIS);
                }
                socket.close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(name, e);
            }
        }

        /** The line echoed whole, or null when the server closed the connection before. */
        private String roundTripOrNull(String line) {
            try {
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                String back = readLine(socket.getInputStream());
                return back.equals(line) ? back : null;
            } catch (IOException closed) {
                return null;
            }
        }
    }

    /** Writes the downward API file as the kubelet does: a whole new file swapped in. */
    private static Path annotate(Path dir, String rebalance) throws IOException {
        StringBuilder text = new StringBuilder("kubernetes.io/config.source=\"api\"\n");
        if (rebalance != null) {
            text.append("tcpfleet.io/rebalance=\"").append(rebalance).append("\"\n");
        }
        Path next = dir.resolve("annotations.next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        return Files.move(next, dir.resolve("annotations"), StandardCopyOption.ATOMIC_MOVE);
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
