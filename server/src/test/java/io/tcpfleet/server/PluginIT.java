package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.drain.DrainResult;
import io.tcpfleet.server.plugin.example.AnswerAfterFinPlugin;
import io.tcpfleet.server.plugin.example.BlockingEchoPlugin;
import io.tcpfleet.server.testing.Http;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PluginIT {

    /**
     * A plugin may answer after the client's FIN; an answer larger than the socket buffers, to a
     * client that reads late, arrives whole (Netty 4.2.18 would lose the channel's epoll
     * registration on the way: {@code EpollInterest}).
     */
    @Test
    void aPluginAnswersAHalfClosedClientThatReadsLateInFull() throws Exception {
        try (TestServer server = TestServer.start("--handler", "answer-after-fin");
                Socket client = Wire.connect(server.address())) {
            client.getOutputStream().write(new byte[] {'?'});
            client.shutdownOutput();
            // Read only once the server holds what this client's socket would not take: it has had to wait.
            Awaitility.await("the server holding bytes this client has not read")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.unsentBytes() > 0);
            InputStream in = client.getInputStream();
            for (int i = 0; i < AnswerAfterFinPlugin.MIB; i++) {
                assertThat(Wire.readExactly(in, AnswerAfterFinPlugin.CHUNK.length))
                        .as("MiB %d", i)
                        .isEqualTo(AnswerAfterFinPlugin.CHUNK);
            }
            assertThat(in.read()).isEqualTo(-1);
            server.awaitMetric("tcpfleet_connections_active", 0.0);
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"error\"}"))
                    .isZero();
        }
    }

    @Test
    void thePingPluginAnswersPongEchoesLinesAndTellsClientsToReconnectOnDrain() throws Exception {
        try (TestServer server = TestServer.start("--handler", "ping", "--drain-delay", "0", "--drain-timeout", "10s");
                Socket client = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(client, "PING")).isEqualTo("PONG");
            assertThat(Wire.roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(Wire.roundTrip(client, "PING")).isEqualTo("PONG");

            CompletableFuture<DrainResult> drain = server.server().drain().start("test");
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = client.getInputStream().read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            assertThat(line.toString()).isEqualTo("RECONNECT");
            client.close();
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(drain::isDone);
            assertThat(drain.get().forced()).isZero();
        }
    }

    @Test
    void aBlockingPluginRunsOnTheWorkerPoolAndOverflowIsRefusedAndCounted() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BlockingEchoPlugin.GATE.set(gate);
        try (TestServer server = TestServer.start(
                        "--handler", "blocking-echo", "--blocking-threads", "1", "--blocking-queue", "16");
                Socket flooder = Wire.connect(server.address())) {
            OutputStream out = flooder.getOutputStream();
            for (int i = 0; i < 200 && server.metric("tcpfleet_worker_rejected_total") == 0; i++) {
                double before = server.metric("tcpfleet_bytes_received_total");
                try {
                    out.write(i);
                    out.flush();
                } catch (java.io.IOException closedByServer) {
                    break;
                }
                // One read per write: wait until the server has taken this byte.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> server.metric("tcpfleet_bytes_received_total") > before
                                || server.metric("tcpfleet_worker_rejected_total") > 0);
            }
            assertThat(server.metric("tcpfleet_worker_rejected_total")).isGreaterThanOrEqualTo(1.0);
            assertThat(Wire.closedByPeer(flooder))
                    .as("the overflowing connection is closed")
                    .isTrue();
            server.awaitMetric("tcpfleet_connections_closed_total{reason=\"limit\"}", 1.0);
            assertThat(Http.status(server.admin(), "/health/live"))
                    .as("event loops never blocked")
                    .isEqualTo(200);

            gate.countDown();
            // The queued tasks of the refused connection still drain first; until they have, a new
            // connection may overflow too. Once they have, a new connection is served.
            Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                try (Socket client = Wire.connect(server.address())) {
                    assertThat(Wire.roundTrip(client, "after")).isEqualTo("after");
                }
            });
            assertThat(BlockingEchoPlugin.LAST_THREAD.get()).startsWith("tcpfleet-blocking");
        } finally {
            gate.countDown();
        }
    }
}
