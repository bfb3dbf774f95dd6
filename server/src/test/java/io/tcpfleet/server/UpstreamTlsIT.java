package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.handler.proxy.UpstreamConnector;
import io.tcpfleet.server.logging.JsonFormatter;
import io.tcpfleet.server.testing.TestCertificates;
import io.tcpfleet.server.testing.TestCertificates.Issued;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --upstream-tls over real loopback sockets: a TLS upstream is verified, then relayed to like any other. */
class UpstreamTlsIT {

    private static final TestCertificates CERTS = new TestCertificates();
    private static final String FAILURES = "tcpfleet_upstream_failures_total";
    private static final String CLOSED_ERROR = "tcpfleet_connections_closed_total{reason=\"error\"}";

    @TempDir
    Path dir;

    private Path ca;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger connectorLog = Logger.getLogger(UpstreamConnector.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(new JsonFormatter().format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void setUp() throws IOException {
        ca = CERTS.writeCa(dir.resolve("ca.crt"));
        connectorLog.addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        connectorLog.removeHandler(capture);
    }

    /** A tcpfleet server speaking TLS on its data port with a certificate for localhost/127.0.0.1. */
    private TestServer tlsUpstream(String... more) throws Exception {
        Issued issued = CERTS.server("upstream", Duration.ofDays(1));
        Path files = dir.resolve("upstream-" + System.nanoTime());
        TestCertificates.write(files, issued.certificatePem(), issued.keyPem());
        List<String> flags = new ArrayList<>(List.of(
                "--tls-cert",
                files.resolve("tls.crt").toString(),
                "--tls-key",
                files.resolve("tls.key").toString()));
        flags.addAll(List.of(more));
        return TestServer.start(flags.toArray(String[]::new));
    }

    private static TestServer proxyTo(int port, String... more) throws InterruptedException {
        List<String> flags = new ArrayList<>(List.of("--handler", "proxy", "--upstream", "127.0.0.1:" + port));
        flags.addAll(List.of(more));
        return TestServer.start(flags.toArray(String[]::new));
    }

    @Test
    void relaysToAnUpstreamTrustedThroughTheCaFileBothWaysWithTheHalfClose() throws Exception {
        try (TestServer upstream = tlsUpstream();
                TestServer proxy =
                        proxyTo(upstream.address().getPort(), "--upstream-tls", "--upstream-tls-ca", ca.toString());
                Socket client = Wire.connect(proxy.address())) {
            byte[] payload = Wire.randomBytes(1024 * 1024, 21);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(payload);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = client.getInputStream();
            assertThat(Wire.readExactly(in, payload.length)).isEqualTo(payload);
            assertThat(in.read())
                    .as("the half-close went through TLS and came back")
                    .isEqualTo(-1);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(upstream.metric("tcpfleet_tls_handshakes_total{result=\"success\"}"))
                    .isEqualTo(1.0);
            assertThat(proxy.metric(FAILURES)).isZero();
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void anUpstreamWhoseCaIsNotTrustedIsRefusedCountedAndLogged() throws Exception {
        // No --upstream-tls-ca: the JDK's trust store, which does not know the test CA.
        try (TestServer upstream = tlsUpstream();
                TestServer proxy = proxyTo(upstream.address().getPort(), "--upstream-tls")) {
            assertRefused(proxy, upstream);
            assertThat(warnings)
                    .anySatisfy(line -> assertThat(line)
                            .contains("TLS handshake with the upstream failed")
                            .contains("127.0.0.1:" + upstream.address().getPort())
                            .containsIgnoringCase("certification path"));
        }
    }

    @Test
    void anUpstreamCertificateForAnotherNameIsRefusedCountedAndLogged() throws Exception {
        try (TestServer upstream = tlsUpstream();
                TestServer proxy = proxyTo(
                        upstream.address().getPort(),
                        "--upstream-tls",
                        "--upstream-tls-ca",
                        ca.toString(),
                        "--upstream-tls-server-name",
                        "db.other.example")) {
            assertRefused(proxy, upstream);
            assertThat(warnings)
                    .anySatisfy(line -> assertThat(line)
                            .contains("\"serverName\":\"db.other.example\"")
                            .contains("db.other.example found"));
        }
    }

    /** The client is let go unanswered, the upstream saw a handshake fail, the proxy counted it. */
    private static void assertRefused(TestServer proxy, TestServer upstream) throws IOException {
        try (Socket client = Wire.connect(proxy.address())) {
            client.getOutputStream().write("never relayed\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(Wire.closedByPeer(client))
                    .as("the client is let go, nothing echoed")
                    .isTrue();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metric(CLOSED_ERROR) == 1.0);
        assertThat(proxy.metric(FAILURES)).isGreaterThanOrEqualTo(1.0);
        assertThat(proxy.metric("tcpfleet_upstream_connect_seconds_count")).isZero();
        assertThat(upstream.metric("tcpfleet_tls_handshakes_total{result=\"failure\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(upstream.metric("tcpfleet_tls_handshakes_total{result=\"success\"}"))
                .isZero();
    }

    @Test
    void theServerNameIsSentAsSniAndMatchedToTheCertificate() throws Exception {
        String name = "upstream.tcpfleet.test";
        try (SSLServerSocket listener = (SSLServerSocket) TestCertificates.serverContext(CERTS.serverNamed(name))
                        .getServerSocketFactory()
                        .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
                TestServer proxy = proxyTo(
                        listener.getLocalPort(),
                        "--upstream-tls",
                        "--upstream-tls-ca",
                        ca.toString(),
                        "--upstream-tls-server-name",
                        name)) {
            CompletableFuture<List<SNIServerName>> sni = CompletableFuture.supplyAsync(() -> echoOneLine(listener));
            try (Socket client = Wire.connect(proxy.address())) {
                assertThat(Wire.roundTrip(client, "to the named upstream")).isEqualTo("to the named upstream");
            }
            assertThat(sni.get(30, TimeUnit.SECONDS)).containsExactly(new SNIHostName(name));
        }
    }

    /** Accepts one TLS connection, echoes one line, and returns the SNI the client sent. */
    private static List<SNIServerName> echoOneLine(SSLServerSocket listener) {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            List<SNIServerName> names = ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aProxyV2HeaderGoesFirstInTheClearThenTls() throws Exception {
        try (TestServer upstream = tlsUpstream("--proxy-protocol", "required", "--handler", "whoami");
                TestServer proxy = proxyTo(
                        upstream.address().getPort(),
                        "--proxy-protocol",
                        "required",
                        "--upstream-proxy-protocol",
                        "v2",
                        "--upstream-tls",
                        "--upstream-tls-ca",
                        ca.toString());
                Socket client = Wire.connect(proxy.address())) {
            client.getOutputStream()
                    .write("PROXY TCP4 203.0.113.7 10.0.0.1 51234 7000\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(client.getInputStream()))
                    .as("the upstream's greeting names the client from the header")
                    .isEqualTo("203.0.113.7 51234");
            assertThat(Wire.roundTrip(client, "relayed")).isEqualTo("relayed");
            assertThat(upstream.metric("tcpfleet_tls_handshakes_total{result=\"success\"}"))
                    .isEqualTo(1.0);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }
}
