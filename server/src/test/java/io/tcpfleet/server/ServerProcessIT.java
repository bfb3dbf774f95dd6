package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.server.testing.Http;
import io.tcpfleet.server.testing.ServerProcess;
import io.tcpfleet.server.testing.TestCertificates;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar, in its own JVM, stopped the way Kubernetes stops it: SIGTERM. */
class ServerProcessIT {

    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** Streams numbered bytes and checks every echoed byte; stops sending on request, then reads to EOF. */
    static final class Streamer {
        final Socket socket;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong echoed = new AtomicLong();
        final AtomicBoolean stopSending = new AtomicBoolean();
        final CompletableFuture<Void> writer;
        final CompletableFuture<Long> reader;

        Streamer(Socket socket) {
            this.socket = socket;
            writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[512];
                    while (!stopSending.get()) {
                        long base = sent.get();
                        for (int i = 0; i < chunk.length; i++) {
                            chunk[i] = (byte) (base + i);
                        }
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the server closed us
                }
            });
            reader = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        for (int i = 0; i < n; i++) {
                            if (buf[i] != (byte) (echoed.get() + i)) {
                                throw new AssertionError("byte " + (echoed.get() + i) + " came back wrong");
                            }
                        }
                        echoed.addAndGet(n);
                    }
                } catch (IOException e) {
                    return -1L;
                }
                return echoed.get();
            });
        }

        void awaitProgress() {
            long now = echoed.get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> echoed.get() > now + 64 * 1024);
        }
    }

    @Test
    void sigtermDrainsAndTheInFlightConnectionFinishesWithEveryByteEchoed() throws Exception {
        try (ServerProcess server = ServerProcess.startListening("--drain-delay", "2s", "--drain-timeout", "3s");
                Socket socket = Wire.connect(server.address())) {
            Streamer streamer = new Streamer(socket);
            streamer.awaitProgress();

            long sigterm = System.nanoTime();
            server.process().destroy();
            // "At once": well inside the delay, with room for a loaded machine.
            Awaitility.await()
                    .atMost(Duration.ofMillis(1500))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Http.status(server.admin(), "/health/ready") == 503);
            assertThat(Http.status(server.admin(), "/health/live")).isEqualTo(200);
            streamer.awaitProgress();
            Wire.awaitListenerClosed(server.address());
            assertThat(System.nanoTime() - sigterm)
                    .as("listener open for the whole delay")
                    .isGreaterThanOrEqualTo(DELAY.toNanos());
            streamer.awaitProgress();

            streamer.stopSending.set(true);
            assertThat(streamer.writer).succeedsWithin(Duration.ofSeconds(10));
            assertThat(streamer.reader).succeedsWithin(Duration.ofSeconds(10));
            assertThat(streamer.echoed.get()).as("every byte sent came back").isEqualTo(streamer.sent.get());

            Duration deadline = DELAY.plus(TIMEOUT).plusSeconds(1).minusNanos(System.nanoTime() - sigterm);
            assertThat(server.awaitExit(deadline)).isZero();
            JsonNode finished = server.awaitLogLine("drain finished");
            assertThat(finished.get("forced").asInt()).isZero();
            assertThat(finished.get("connectionsAtStart").asInt()).isEqualTo(1);
            assertThat(server.stdout()).noneMatch(line -> line.contains("LEAK"));
            assertThat(server.nonJsonLines())
                    .as("every stdout line is a JSON object")
                    .isEmpty();
            JsonNode closed = server.awaitLogLine("connection closed", "remote", "/127.0.0.1:" + socket.getLocalPort());
            assertThat(closed.get("level").asText()).isEqualTo("debug");
            assertThat(closed.get("reason").asText()).isEqualTo("client");
            assertThat(closed.get("bytesIn").asLong()).isEqualTo(streamer.sent.get());
            assertThat(closed.get("bytesOut").asLong()).isEqualTo(streamer.sent.get());
            assertThat(closed.get("durationMs").asLong()).isGreaterThanOrEqualTo(DELAY.toMillis());
        }
    }

    @Test
    void aConnectionThatNeverEndsIsForceClosedAtTheDeadlineAndCounted() throws Exception {
        try (ServerProcess server = ServerProcess.startListening("--drain-delay", "1s", "--drain-timeout", "2s");
                Socket socket = Wire.connect(server.address())) {
            Streamer streamer = new Streamer(socket);
            streamer.awaitProgress();
            long sigterm = System.nanoTime();
            server.process().destroy();
            Duration deadline = Duration.ofSeconds(1 + 2 + 1);
            assertThat(server.awaitExit(deadline)).isZero();
            assertThat(System.nanoTime() - sigterm)
                    .as("it waited for the timeout")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos());
            assertThat(streamer.reader).succeedsWithin(Duration.ofSeconds(10));
            JsonNode finished = server.awaitLogLine("drain finished");
            assertThat(finished.get("forced").asInt()).isEqualTo(1);
            assertThat(server.awaitLogLine("connection closed", "remote", "/127.0.0.1:" + socket.getLocalPort())
                            .get("reason")
                            .asText())
                    .isEqualTo("forced");
        }
    }

    @Test
    void aSecondSigtermSkipsAheadToTheForcedClose() throws Exception {
        try (ServerProcess server = ServerProcess.startListening("--drain-delay", "10m", "--drain-timeout", "10m");
                Socket socket = Wire.connect(server.address())) {
            Streamer streamer = new Streamer(socket);
            streamer.awaitProgress();
            server.process().destroy();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Http.status(server.admin(), "/health/ready") == 503);
            server.process().destroy();
            assertThat(server.awaitExit(Duration.ofSeconds(15))).isZero();
            assertThat(server.awaitLogLine("drain finished").get("forced").asInt())
                    .isEqualTo(1);
            assertThat(streamer.reader).succeedsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void theImagesDrainCommandAsksOverLoopbackAndWaitsForTheAnswer(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path opt) throws Exception {
        // The image layout: /opt/tcpfleet/bin/drain next to /opt/tcpfleet/tcpfleet-server.jar.
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(opt.resolve("bin"));
        java.nio.file.Files.copy(java.nio.file.Path.of("src/main/image/drain"), bin.resolve("drain"));
        java.nio.file.Files.copy(ServerProcess.jar(), opt.resolve("tcpfleet-server.jar"));
        try (ServerProcess server = ServerProcess.startListening("--drain-delay", "1s", "--drain-timeout", "1s")) {
            ProcessBuilder drain = new ProcessBuilder(
                            "sh",
                            bin.resolve("drain").toString(),
                            String.valueOf(server.admin().getPort()))
                    .redirectErrorStream(true);
            drain.environment()
                    .put(
                            "PATH",
                            java.nio.file.Path.of(System.getProperty("java.home"), "bin") + ":"
                                    + System.getenv("PATH"));
            Process client = drain.start();
            String answer = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !client.isAlive());
            assertThat(client.exitValue()).as(answer).isZero();
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer);
            assertThat(json.get("elapsedMillis").asLong())
                    .as("it waited for the drain")
                    .isGreaterThanOrEqualTo(1000);
            assertThat(json.get("forced").asLong()).isZero();
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void aBadEnvironmentValueStopsTheJarWithExitTwoAndOneLine() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("TCPFLEET_IDLE_TIMEOUT", "5 minutes"))) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.awaitStderr())
                    .singleElement()
                    .asString()
                    .contains("TCPFLEET_IDLE_TIMEOUT")
                    .contains("'5 minutes'");
            assertThat(server.stdout()).isEmpty();
        }
    }

    /** A fleet pinned to this server by a newer operator that sets a variable it does not know. */
    @Test
    void anUnknownVariableIsOneWarningAndTheServerServes() throws Exception {
        try (ServerProcess server = ServerProcess.startListening(Map.of("TCPFLEET_SOME_NEWER_SETTING", "on"));
                Socket socket = Wire.connect(server.address())) {
            socket.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().readNBytes(5))
                    .asString(java.nio.charset.StandardCharsets.US_ASCII)
                    .isEqualTo("ping\n");
            JsonNode warning = server.awaitLogLine("ignoring unknown environment variable");
            assertThat(warning.get("level").asText()).isEqualTo("warn");
            assertThat(warning.get("variable").asText()).isEqualTo("TCPFLEET_SOME_NEWER_SETTING");
            assertThat(warning.get("why").asText()).contains("newer operator");
            assertThat(server.stdout())
                    .filteredOn(line -> line.contains("TCPFLEET_SOME_NEWER_SETTING"))
                    .hasSize(1);
            assertThat(server.stderr()).isEmpty();
            assertThat(Http.status(server.admin(), "/health/ready")).isEqualTo(200);
        }
    }

    @Test
    void anUnknownFlagStillStopsTheJarWithExitTwo() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), "--some-newer-setting", "on")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.awaitStderr()).singleElement().asString().contains("--some-newer-setting");
        }
    }

    @Test
    void anUnknownHandlerIsABadSettingAndAPortInUseAFailedStart() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("TCPFLEET_HANDLER", "redis"))) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.awaitStderr()).singleElement().asString().contains("--handler 'redis'");
        }
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ServerProcess server = ServerProcess.start(
                        Map.of(),
                        "--bind",
                        "127.0.0.1",
                        "--admin-bind",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(taken.getLocalPort()),
                        "--admin-port",
                        "0")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(server.awaitLogLine("server failed to start")
                            .get("error")
                            .asText())
                    .contains("Address already in use");
        }
    }

    /** BouncyCastle inside the shaded jar: its signature files would stop the JVM, its PEM reader must work. */
    @Test
    void theJarServesTlsWithAnEcKeyAsCertManagerWritesIt(@TempDir Path dir) throws Exception {
        TestCertificates certs = new TestCertificates();
        TestCertificates.Issued issued = certs.serverEc("jar", Duration.ofDays(1));
        TestCertificates.write(dir, issued.certificatePem(), issued.keyPem());
        try (ServerProcess server = ServerProcess.startListening(
                        "--tls-cert",
                        dir.resolve("tls.crt").toString(),
                        "--tls-key",
                        dir.resolve("tls.key").toString());
                Socket plain = Wire.connect(server.address());
                SSLSocket tls = (SSLSocket) certs.clientContext(null)
                        .getSocketFactory()
                        .createSocket(plain, "localhost", plain.getPort(), true)) {
            assertThat(Wire.roundTrip(tls, "from the jar")).isEqualTo("from the jar");
            assertThat(server.awaitLogLine("TLS on the data port")
                            .get("provider")
                            .asText())
                    .startsWith("OpenSSL");
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void helpWorksFromTheJar() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), "--help")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.stdout().size() > 10);
            assertThat(String.join("\n", server.stdout()))
                    .contains("--drain-timeout")
                    .contains("TCPFLEET_");
        }
    }
}
