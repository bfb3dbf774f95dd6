package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProxyIT {

    /** More than a loopback connection's socket buffers hold, both ends together. */
    private static final int LATE_MIB = 32;

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

    /**
     * A client that sends its request, half-closes and reads the answer late: the proxy's side of it
     * has nothing left to read or write for a while, then must wait for the client to read. Netty
     * 4.2.18 drops such a channel from epoll and the wait fails (see {@code EpollInterest}).
     */
    @Test
    void aHalfClosedClientThatReadsLateGetsTheWholeAnswer() throws Exception {
        byte[] chunk = Wire.randomBytes(1 << 20, 12);
        try (ServerSocket upstream = loopbackListener();
                TestServer proxy = proxyTo(upstream.getLocalPort(), 5, "5s");
                Socket client = Wire.connect(proxy.address())) {
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
                try (Socket s = upstream.accept()) {
                    s.getInputStream().readAllBytes(); // the request, up to the client's FIN
                    for (int i = 0; i < LATE_MIB; i++) {
                        s.getOutputStream().write(chunk);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            client.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            // Read only once the proxy holds what this client's socket would not take: it has had to wait.
            Awaitility.await("the proxy holding bytes this client has not read")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> proxy.unsentBytes() > 0);
            InputStream in = client.getInputStream();
            for (int i = 0; i < LATE_MIB; i++) {
                assertThat(Wire.readExactly(in, chunk.length)).as("MiB %d", i).isEqualTo(chunk);
            }
            assertThat(in.read()).isEqualTo(-1);
            answering.get(30, TimeUnit.SECONDS);
            assertThat(proxy.metric("tcpfleet_connections_closed_total{reason=\"error\"}"))
                    .isZero();
        }
    }

    /** The same the other way: an upstream that half-closed at once and reads the client's bytes late. */
    @Test
    void anUpstreamThatHalfClosedAndReadsLateGetsEveryByte() throws Exception {
        byte[] chunk = Wire.randomBytes(1 << 20, 13);
        try (ServerSocket upstream = loopbackListener();
                TestServer proxy = proxyTo(upstream.getLocalPort(), 5, "5s");
                Socket client = Wire.connect(proxy.address())) {
            CompletableFuture<Long> reading = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    s.shutdownOutput();
                    // Nothing outside the proxy shows that its upstream connection is waiting for us (that
                    // side has no tracker), so a second without reading, far longer than filling the buffers.
                    Thread.sleep(1_000);
                    return s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            assertThat(client.getInputStream().read())
                    .as("the upstream's FIN comes through")
                    .isEqualTo(-1);
            for (int i = 0; i < LATE_MIB; i++) {
                client.getOutputStream().write(chunk);
            }
            client.shutdownOutput();
            assertThat(reading.get(30, TimeUnit.SECONDS)).isEqualTo((long) LATE_MIB * chunk.length);
        }
    }

    private static ServerSocket loopbackListener() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @Test
    void failsFastOnADeadUpstreamOpensTheBreakerAndRecovers() throws Exception {
        int deadPort;
        try (ServerSocket probe = loopbackListener()) {
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
