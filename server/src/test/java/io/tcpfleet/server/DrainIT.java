package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcpfleet.server.drain.DrainResult;
import io.tcpfleet.server.testing.Http;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class DrainIT {

    /** Echo round trips until told to stop or the server goes away; counts the confirmed ones. */
    static final class BusyClient implements AutoCloseable {
        final Socket socket;
        final AtomicLong roundTrips = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<Void> loop;

        BusyClient(TestServer server) throws IOException {
            socket = Wire.connect(server.address());
            loop = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) {
                        String line = "busy " + roundTrips.get();
                        if (!line.equals(Wire.roundTrip(socket, line))) {
                            return;
                        }
                        roundTrips.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed by the server: the loop ends
                }
            });
        }

        void awaitProgress() {
            long now = roundTrips.get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> roundTrips.get() > now + 10);
        }

        @Override
        public void close() throws IOException {
            stop.set(true);
            socket.close();
        }
    }

    @Test
    void drainFromLoopbackFollowsTheDesignOrderAndAnswersWithTheOutcome() throws Exception {
        try (TestServer server = TestServer.start("--drain-delay", "3s", "--drain-timeout", "3s");
                Socket idle = Wire.connect(server.address());
                BusyClient busy = new BusyClient(server)) {
            assertThat(Wire.roundTrip(idle, "then quiet")).isEqualTo("then quiet");
            busy.awaitProgress();

            CompletableFuture<HttpResponse<String>> answer = Http.postAsync(server.admin(), "/drain");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> Http.status(server.admin(), "/health/ready") == 503);
            assertThat(server.metric("tcpfleet_draining")).isEqualTo(1.0);
            assertThat(Http.status(server.admin(), "/health/live")).isEqualTo(200);

            try (Socket duringDelay = Wire.connect(server.address())) {
                assertThat(Wire.roundTrip(duringDelay, "still accepting")).isEqualTo("still accepting");
            }
            Wire.awaitListenerClosed(server.address());
            busy.awaitProgress();
            assertThat(Wire.closedByPeer(idle))
                    .as("an idle connection is closed by the drain")
                    .isTrue();

            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode json = new ObjectMapper().readTree(response.body());
            assertThat(json.get("connectionsAtStart").asInt()).isEqualTo(2);
            assertThat(json.get("forced").asLong())
                    .as("the busy one never ends by itself")
                    .isEqualTo(1);
            // the idle one, the one opened during the delay, and the probes that found the listener still open
            assertThat(json.get("closed").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(json.get("elapsedMillis").asLong()).isGreaterThanOrEqualTo(6000);
            assertThat(busy.loop).succeedsWithin(Duration.ofSeconds(10));
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"forced\"}"))
                    .isEqualTo(1.0);
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"drain\"}"))
                    .isEqualTo(1.0);

            DrainResult joined = server.server().drain().start("second request").get();
            assertThat(joined.toJson()).isEqualTo(response.body().trim());
        }
    }

    @Test
    void skippingAheadEndsBothWaitsAndForcesWhatIsLeft() throws Exception {
        try (TestServer server = TestServer.start("--drain-delay", "5m", "--drain-timeout", "5m");
                BusyClient busy = new BusyClient(server)) {
            busy.awaitProgress();
            CompletableFuture<DrainResult> drain = server.server().drain().start("SIGTERM");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> server.server().drain().isDraining());
            server.server().drain().skipAhead();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(drain::isDone);
            assertThat(drain.get().forced()).isEqualTo(1);
            assertThat(drain.get().elapsedMillis())
                    .isLessThan(Duration.ofMinutes(5).toMillis());
        }
    }
}
