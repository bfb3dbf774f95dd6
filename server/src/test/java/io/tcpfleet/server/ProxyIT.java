package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProxyIT {

    private static TestServer proxyTo(int port, int breakerFailures, String cooldown) throws InterruptedException {
        return TestServer.start(
                "--handler",
                "proxy",
                "--upstream",
                "127.0.0.1:" + port,
                "--breaker-failures",
                String.valueOf(breakerFailures),
                "--breaker-cooldown",
                cooldown);
    }

    @Test
    void relaysBothWaysToALiveUpstreamAndPassesTheHalfClose() throws Exception {
        try (TestServer upstream = TestServer.start();
                TestServer proxy = proxyTo(upstream.address().getPort(), 5, "5s");
                Socket client = Wire.connect(proxy.address())) {
            byte[] payload = Wire.randomBytes(4 * 1024 * 1024, 11);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(payload);
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = client.getInputStream();
            assertThat(Wire.readExactly(in, payload.length)).isEqualTo(payload);
            assertThat(in.read())
                    .as("upstream's close comes back through the proxy")
                    .isEqualTo(-1);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(proxy.metric("tcpfleet_upstream_connect_seconds_count")).isEqualTo(1.0);
            assertThat(proxy.metric("tcpfleet_upstream_failures_total")).isZero();
            assertThat(upstream.metric("tcpfleet_bytes_received_total")).isEqualTo(payload.length);
        }
    }

    @Test
    void failsFastOnADeadUpstreamOpensTheBreakerAndRecovers() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        try (TestServer proxy = proxyTo(deadPort, 3, "500ms")) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Socket client = Wire.connect(proxy.address())) {
                    assertThat(Wire.closedByPeer(client))
                            .as("client is let go, not left hanging")
                            .isTrue();
                }
                return proxy.metric("tcpfleet_upstream_circuit_open") == 1.0;
            });
            double failures = proxy.metric("tcpfleet_upstream_failures_total");
            assertThat(failures).isGreaterThanOrEqualTo(3.0);

            // While open: refused without a connect attempt.
            try (Socket client = Wire.connect(proxy.address())) {
                assertThat(Wire.closedByPeer(client)).isTrue();
            }
            if (proxy.metric("tcpfleet_upstream_circuit_open") == 1.0) {
                assertThat(proxy.metric("tcpfleet_upstream_failures_total")).isLessThanOrEqualTo(failures + 1);
            }
            assertThat(proxy.metric("tcpfleet_connections_closed_total{reason=\"error\"}"))
                    .isGreaterThanOrEqualTo(2.0);

            try (TestServer revived = TestServer.startOnPort(deadPort)) {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            try (Socket client = Wire.connect(proxy.address())) {
                                client.setSoTimeout(5_000);
                                return "back".equals(Wire.roundTrip(client, "back"));
                            } catch (java.io.IOException e) {
                                return false;
                            }
                        });
                assertThat(proxy.metric("tcpfleet_upstream_circuit_open")).isZero();
            }
        }
    }
}
