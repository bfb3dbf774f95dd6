package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.testing.ServerProcess;
import io.tcpfleet.server.testing.TestCertificates;
import io.tcpfleet.server.testing.TestCertificates.Issued;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the data port over real loopback sockets, with certificates made for the run. */
class TlsIT {

    private static final TestCertificates CERTS = new TestCertificates();

    @TempDir
    Path dir;

    /** The files as the kubelet mounts a Secret: tls.crt -> ..data/tls.crt, ..data -> a timestamped dir. */
    private Path mount(Issued issued) throws IOException {
        Path version = dir.resolve("..2026_" + System.nanoTime());
        TestCertificates.write(version, issued.certificatePem(), issued.keyPem());
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String file : new String[] {"tls.crt", "tls.key"}) {
            Path link = dir.resolve(file);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", file));
            }
        }
        return dir;
    }

    private TestServer tlsServer(Issued issued, String... more) throws Exception {
        Path mounted = mount(issued);
        String[] flags = new String[4 + more.length];
        flags[0] = "--tls-cert";
        flags[1] = mounted.resolve("tls.crt").toString();
        flags[2] = "--tls-key";
        flags[3] = mounted.resolve("tls.key").toString();
        System.arraycopy(more, 0, flags, 4, more.length);
        return TestServer.start(flags);
    }

    private static SSLSocket tlsConnect(TestServer server, SSLContext context, String... protocols) throws IOException {
        Socket plain = Wire.connect(server.address());
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.startHandshake();
        return tls;
    }

    private static BigInteger servedSerial(SSLSocket socket) throws SSLException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** True if the server closed, after an alert record perhaps; false if it kept the socket open for 30 s. */
    private static boolean closedAfterAnAlert(Socket socket) throws IOException {
        try {
            while (socket.getInputStream().read() >= 0) {
                // an alert, a close_notify: read past it to the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void awaitMetric(TestServer server, String series, double value) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.metric(series) == value);
    }

    @Test
    void echoesOverTlsCountsTheHandshakeAndExportsTheExpiry() throws Exception {
        Issued issued = CERTS.server("echo", Duration.ofDays(30));
        try (TestServer server = tlsServer(issued);
                SSLSocket client = tlsConnect(server, CERTS.clientContext(null))) {
            assertThat(Wire.roundTrip(client, "over tls")).isEqualTo("over tls");
            assertThat(servedSerial(client)).isEqualTo(issued.certificate().getSerialNumber());
            awaitMetric(server, "tcpfleet_tls_handshakes_total{result=\"success\"}", 1.0);
            assertThat(server.metric("tcpfleet_tls_certificate_expiry_timestamp_seconds"))
                    .isEqualTo((double)
                            issued.certificate().getNotAfter().toInstant().getEpochSecond());
        }
    }

    @Test
    void usesBoringSslWhereItLoads() throws Exception {
        try (TestServer server = tlsServer(CERTS.server("provider", Duration.ofDays(1)))) {
            assertThat(server.server().tlsProvider())
                    .isEqualTo(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
            assertThat(OpenSsl.isAvailable())
                    .as("netty-tcnative-boringssl-static loads on linux-x86_64: " + OpenSsl.unavailabilityCause())
                    .isTrue();
        }
    }

    @Test
    void aClientResumesWithATicketFromItsLastHandshake() throws Exception {
        try (TestServer server = tlsServer(CERTS.server("tickets", Duration.ofDays(1)))) {
            assertResumesFromATicket(server.address());
        }
    }

    @Test
    void theJdkEngineServesAndResumesWhereBoringSslDoesNotLoad() throws Exception {
        Path mounted = mount(CERTS.server("jdk", Duration.ofDays(1)));
        try (ServerProcess server = ServerProcess.startListening(
                Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.handler.ssl.noOpenSsl=true"),
                "--tls-cert",
                mounted.resolve("tls.crt").toString(),
                "--tls-key",
                mounted.resolve("tls.key").toString())) {
            assertThat(server.awaitLogLine("TLS on the data port")
                            .get("provider")
                            .asText())
                    .isEqualTo("JDK");
            assertResumesFromATicket(server.address());
        }
    }

    /** The second of two connections from one client (BoringSSL's, as the proxy handler uses) resumes. */
    private static void assertResumesFromATicket(InetSocketAddress server) throws Exception {
        SslContext client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3")
                .trustManager(CERTS.ca().certificate())
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertThat(resumed(group, client, server))
                    .as("the first handshake resumed")
                    .isFalse();
            assertThat(resumed(group, client, server))
                    .as("the second handshake resumed")
                    .isTrue();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            ReferenceCountUtil.release(client);
        }
    }

    /**
     * Handshake and one echo (a TLS 1.3 client reads its tickets with the first data after the
     * handshake); whether the handshake resumed a session.
     */
    private static boolean resumed(EventLoopGroup group, SslContext tls, InetSocketAddress server) throws Exception {
        CompletableFuture<Boolean> resumed = new CompletableFuture<>();
        CompletableFuture<String> echo = new CompletableFuture<>();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler handler = tls.newHandler(ch.alloc(), server.getHostString(), server.getPort());
                        handler.handshakeFuture()
                                .addListener(done -> resumed.complete(SSL.isSessionReused(
                                        ((ReferenceCountedOpenSslEngine) handler.engine()).sslPointer())));
                        ch.pipeline().addLast(handler, new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                echo.complete(msg.toString(StandardCharsets.US_ASCII));
                            }
                        });
                    }
                })
                .connect(server)
                .sync()
                .channel();
        try {
            channel.writeAndFlush(Unpooled.copiedBuffer("ticket", StandardCharsets.US_ASCII));
            assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("ticket");
            return resumed.get(10, TimeUnit.SECONDS);
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void aProxyProtocolHeaderComesFirstInTheClearThenTls() throws Exception {
        try (TestServer server = tlsServer(
                        CERTS.server("behind-lb", Duration.ofDays(1)),
                        "--proxy-protocol",
                        "required",
                        "--handler",
                        "whoami");
                Socket plain = Wire.connect(server.address())) {
            plain.getOutputStream()
                    .write("PROXY TCP4 203.0.113.7 10.0.0.1 51234 7000\r\n".getBytes(StandardCharsets.US_ASCII));
            try (SSLSocket tls = (SSLSocket) CERTS.clientContext(null)
                    .getSocketFactory()
                    .createSocket(plain, "localhost", plain.getPort(), true)) {
                assertThat(Wire.roundTrip(tls, "")).as("the greeting").isEqualTo("203.0.113.7 51234");
            }
        }
    }

    @Test
    void aPlaintextClientIsClosedAndCounted() throws Exception {
        try (TestServer server = tlsServer(CERTS.server("plain", Duration.ofDays(1)));
                Socket plain = Wire.connect(server.address())) {
            plain.getOutputStream()
                    .write("hello in the clear, long enough for a record header\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedAfterAnAlert(plain)).isTrue();
            awaitMetric(server, "tcpfleet_tls_handshakes_total{result=\"not_tls\"}", 1.0);
            awaitMetric(server, "tcpfleet_connections_closed_total{reason=\"tls\"}", 1.0);
        }
    }

    @Test
    void aHandshakeThatNeverFinishesIsClosedAtTheTimeout() throws Exception {
        try (TestServer server =
                        tlsServer(CERTS.server("slow", Duration.ofDays(1)), "--tls-handshake-timeout", "300ms");
                Socket silent = Wire.connect(server.address());
                Socket truncated = Wire.connect(server.address())) {
            // A handshake record header announcing 512 bytes, and only 4 of them.
            truncated.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
            assertThat(closedAfterAnAlert(silent)).isTrue();
            assertThat(closedAfterAnAlert(truncated)).isTrue();
            awaitMetric(server, "tcpfleet_tls_handshakes_total{result=\"timeout\"}", 2.0);
            awaitMetric(server, "tcpfleet_connections_closed_total{reason=\"tls\"}", 2.0);
        }
    }

    @Test
    void clientCertificatesAreRequiredWithAClientCa() throws Exception {
        Path ca = Files.writeString(
                Files.createTempFile(dir, "ca", ".crt"), CERTS.ca().certificatePem());
        try (TestServer server =
                tlsServer(CERTS.server("mtls", Duration.ofDays(1)), "--tls-client-ca", ca.toString())) {
            try (SSLSocket withCert =
                    tlsConnect(server, CERTS.clientContext(CERTS.server("client", Duration.ofDays(1))))) {
                assertThat(Wire.roundTrip(withCert, "known client")).isEqualTo("known client");
            }
            // TLS 1.3: the client may finish its side before the server refuses it, then reads the alert.
            String answer;
            try (SSLSocket anonymous = tlsConnect(server, CERTS.clientContext(null))) {
                answer = Wire.roundTrip(anonymous, "who am i");
            } catch (IOException refused) {
                answer = null;
            }
            assertThat(answer)
                    .as("a client without a certificate is not served")
                    .isNotEqualTo("who am i");
            awaitMetric(server, "tcpfleet_tls_handshakes_total{result=\"failure\"}", 1.0);
        }
    }

    @Test
    void aClientBelowTheMinimumVersionFails() throws Exception {
        try (TestServer server = tlsServer(CERTS.server("v13", Duration.ofDays(1)), "--tls-min-version", "TLSv1.3")) {
            assertThatThrownBy(() -> tlsConnect(server, CERTS.clientContext(null), "TLSv1.2"))
                    .isInstanceOf(SSLException.class);
            try (SSLSocket ok = tlsConnect(server, CERTS.clientContext(null), "TLSv1.3")) {
                assertThat(ok.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            awaitMetric(server, "tcpfleet_tls_handshakes_total{result=\"failure\"}", 1.0);
        }
    }

    @Test
    void aRenewedCertificateServesNewHandshakesAndOpenConnectionsContinue() throws Exception {
        Issued first = CERTS.server("first", Duration.ofDays(1));
        Issued renewed = CERTS.server("renewed", Duration.ofDays(90));
        try (TestServer server = tlsServer(first);
                SSLSocket open = tlsConnect(server, CERTS.clientContext(null))) {
            assertThat(servedSerial(open)).isEqualTo(first.certificate().getSerialNumber());
            mount(renewed);
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (SSLSocket fresh = tlsConnect(server, CERTS.clientContext(null))) {
                    assertThat(servedSerial(fresh))
                            .isEqualTo(renewed.certificate().getSerialNumber());
                }
            });
            assertThat(Wire.roundTrip(open, "still on the first")).isEqualTo("still on the first");
            assertThat(server.metric("tcpfleet_tls_reloads_total{result=\"success\"}"))
                    .isEqualTo(1.0);
            assertThat(server.metric("tcpfleet_tls_certificate_expiry_timestamp_seconds"))
                    .isEqualTo((double)
                            renewed.certificate().getNotAfter().toInstant().getEpochSecond());
        }
    }

    @Test
    void aGarbageRenewalKeepsTheOldCertificateAndIsCounted() throws Exception {
        Issued first = CERTS.server("kept", Duration.ofDays(1));
        try (TestServer server = tlsServer(first)) {
            Path version = dir.resolve("..garbage");
            Files.createDirectories(version);
            Files.writeString(version.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n");
            Files.writeString(version.resolve("tls.key"), first.keyPem());
            Path tmp = dir.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, version.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitMetric(server, "tcpfleet_tls_reloads_total{result=\"failure\"}", 1.0);
            try (SSLSocket fresh = tlsConnect(server, CERTS.clientContext(null))) {
                assertThat(servedSerial(fresh)).isEqualTo(first.certificate().getSerialNumber());
                assertThat(Wire.roundTrip(fresh, "old cert")).isEqualTo("old cert");
            }
            Thread.sleep(2_500); // two more polls of the same bad files
            assertThat(server.metric("tcpfleet_tls_reloads_total{result=\"failure\"}"))
                    .as("the same bad files are counted once")
                    .isEqualTo(1.0);
        }
    }

    @Test
    void anExpiredCertificateStopsTheStartWithExitCode2() throws Exception {
        Issued expired = CERTS.issue(
                "expired",
                Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)));
        Path mounted = mount(expired);
        String[] args = {
            "--port",
            "0",
            "--admin-port",
            "0",
            "--bind",
            "127.0.0.1",
            "--admin-bind",
            "127.0.0.1",
            "--tls-cert",
            mounted.resolve("tls.crt").toString(),
            "--tls-key",
            mounted.resolve("tls.key").toString()
        };
        assertThat(Main.run(args, Map.of())).isEqualTo(Main.EXIT_BAD_CONFIG);
        assertThatThrownBy(() -> tlsServer(expired).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expired at")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aKeyOfAnotherCertificateStopsTheStart() throws Exception {
        Issued one = CERTS.server("one", Duration.ofDays(1));
        Issued other = CERTS.server("other", Duration.ofDays(1));
        Path version = dir.resolve("mismatch");
        TestCertificates.write(version, one.certificatePem(), other.keyPem());
        assertThatThrownBy(() -> TestServer.start(
                                "--tls-cert",
                                version.resolve("tls.crt").toString(),
                                "--tls-key",
                                version.resolve("tls.key").toString())
                        .close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void aPkcs8KeyServesToo() throws Exception {
        Issued issued = CERTS.server("pkcs8", Duration.ofDays(1));
        assertServes(issued, issued.keyPemPkcs8(), "-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aPkcs1RsaKeyServes() throws Exception {
        Issued issued = CERTS.server("pkcs1", Duration.ofDays(1));
        assertServes(issued, issued.keyPem(), "-----BEGIN RSA PRIVATE KEY-----");
    }

    @Test
    void aSec1EcKeyServesAsCertManagerWritesIt() throws Exception {
        Issued issued = CERTS.serverEc("ecdsa", Duration.ofDays(1));
        assertServes(issued, issued.keyPem(), "-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void aSec1EcKeyAfterItsParametersServes() throws Exception {
        // `openssl ecparam -genkey -name prime256v1` writes the curve's OID before the key.
        Issued issued = CERTS.serverEc("ecparam", Duration.ofDays(1));
        String withParameters =
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + issued.keyPem();
        assertServes(issued, withParameters, "-----BEGIN EC PARAMETERS-----");
    }

    /** Serves {@code issued} with {@code keyPem} (which starts with {@code header}) and echoes over it. */
    private void assertServes(Issued issued, String keyPem, String header) throws Exception {
        assertThat(keyPem).as("the encoding under test").startsWith(header);
        Path version = dir.resolve("key-" + System.nanoTime());
        TestCertificates.write(version, issued.certificatePem(), keyPem);
        try (TestServer server = TestServer.start(
                        "--tls-cert",
                        version.resolve("tls.crt").toString(),
                        "--tls-key",
                        version.resolve("tls.key").toString());
                SSLSocket client = tlsConnect(server, CERTS.clientContext(null))) {
            assertThat(Wire.roundTrip(client, header)).isEqualTo(header);
            assertThat(servedSerial(client)).isEqualTo(issued.certificate().getSerialNumber());
        }
    }

    @Test
    void anEcKeyOfAnotherCertificateStopsTheStart() throws Exception {
        Issued one = CERTS.serverEc("ec-one", Duration.ofDays(1));
        Issued other = CERTS.serverEc("ec-other", Duration.ofDays(1));
        Path version = dir.resolve("ec-mismatch");
        TestCertificates.write(version, one.certificatePem(), other.keyPem());
        assertThatThrownBy(() -> TestServer.start(
                                "--tls-cert",
                                version.resolve("tls.crt").toString(),
                                "--tls-key",
                                version.resolve("tls.key").toString())
                        .close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not belong to the certificate for CN=ec-one");
    }
}
