package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Real kernel socket states on the data port, counted by {@code tcpfleet_sockets} in a real scrape of
 * /metrics: CLOSE_WAIT when a client half-closes and our side keeps its end open, TIME_WAIT when we
 * close first.
 */
class SocketStatesIT {

    private static final Duration CEILING = Duration.ofSeconds(30);

    @Test
    void aHalfClosedClientWhoseUpstreamNeverClosesIsCountedInCloseWait() throws Exception {
        // The upstream accepts and holds every connection: the proxy passes the client's FIN on and,
        // as it should, keeps the client's socket open until the upstream is done, which is never.
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TestServer proxy =
                        TestServer.start("--handler", "proxy", "--upstream", "127.0.0.1:" + upstream.getLocalPort());
                Socket client = Wire.connect(proxy.address())) {
            assertThat(sockets(proxy, "listen")).isEqualTo(1);
            try (Socket held = upstream.accept()) {
                Awaitility.await("established").atMost(CEILING).until(() -> sockets(proxy, "established") == 1);
                assertThat(sockets(proxy, "close_wait")).isZero();

                client.shutdownOutput();
                Awaitility.await("close_wait counted").atMost(CEILING).until(() -> sockets(proxy, "close_wait") == 1);
                assertThat(sockets(proxy, "established")).isZero();
                assertThat(held.getInputStream().read())
                        .as("FIN passed upstream")
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void aConnectionWeCloseFirstIsCountedInTimeWait() throws Exception {
        try (TestServer server = TestServer.start("--max-connections", "100", "--idle-timeout", "300ms")) {
            assertThat(sockets(server, "time_wait")).isZero();
            try (Socket client = Wire.connect(server.address())) {
                InputStream in = client.getInputStream();
                assertThat(in.read()).as("closed by the idle timeout").isEqualTo(-1);
                Awaitility.await("fin_wait2 while the client has not closed")
                        .atMost(CEILING)
                        .until(() -> sockets(server, "fin_wait2") == 1);
            }
            Awaitility.await("time_wait counted").atMost(CEILING).until(() -> sockets(server, "time_wait") == 1);
            assertThat(sockets(server, "fin_wait2")).isZero();
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"idle\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void everyStateIsExportedWithTheMaxAlongside() throws Exception {
        try (TestServer server = TestServer.start("--max-connections", "1234", "--idle-timeout", "0")) {
            Map<String, Double> samples = server.metrics();
            for (String state : new String[] {
                "established",
                "syn_recv",
                "fin_wait1",
                "fin_wait2",
                "time_wait",
                "close",
                "close_wait",
                "last_ack",
                "listen",
                "closing"
            }) {
                assertThat(samples).containsKey("tcpfleet_sockets{state=\"" + state + "\"}");
            }
            assertThat(samples).containsEntry("tcpfleet_connections_max", 1234.0);
        }
    }

    private static int sockets(TestServer server, String state) {
        return (int) server.metric("tcpfleet_sockets{state=\"" + state + "\"}");
    }
}
