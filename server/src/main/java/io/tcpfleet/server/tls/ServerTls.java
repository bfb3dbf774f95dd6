package io.tcpfleet.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.tcpfleet.server.config.TlsConfig;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.ServerMetrics;
import io.tcpfleet.server.metrics.TlsReloadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * TLS for the data port: the current {@link SslContext}, and its renewal. The files are read again
 * every second and a new context is built when their bytes changed, so a renewed Secret (the kubelet
 * swaps the mounted {@code ..data} link) serves new handshakes within seconds while open connections
 * keep the session they have. A renewal that cannot be used keeps the old certificate, is logged and
 * counted, and is tried again when the files change again.
 */
public final class ServerTls implements AutoCloseable {

    private static final Log LOG = Log.get(ServerTls.class);
    static final long POLL_MILLIS = 1000;

    private final TlsConfig config;
    private final ServerMetrics metrics;
    private final SslProvider provider;
    private final ScheduledExecutorService poller;
    private volatile SslContext context;
    private volatile X509Certificate leaf;
    /** The bytes last tried, good or bad: a bad renewal is counted once, not every second. */
    private byte[][] lastSeen;

    private ServerTls(TlsConfig config, ServerMetrics metrics, SslProvider provider, Loaded first, byte[][] seen) {
        this.config = config;
        this.metrics = metrics;
        this.provider = provider;
        this.context = first.context;
        this.leaf = first.leaf;
        this.lastSeen = seen;
        metrics.gaugeTlsCertificateExpiry(
                () -> (double) leaf.getNotAfter().toInstant().getEpochSecond());
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tcpfleet-tls-reload");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::reloadIfChanged, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Loads the files or says in one line why they cannot serve; then watches them. */
    public static ServerTls start(TlsConfig config, ServerMetrics metrics) throws InvalidTlsMaterialException {
        SslProvider provider = bestProvider();
        byte[][] files = read(config);
        Loaded first = build(config, provider, files);
        metrics.enableTls();
        ServerTls tls = new ServerTls(config, metrics, provider, first, files);
        LOG.info(
                "TLS on the data port",
                "provider",
                describe(provider),
                "minVersion",
                config.minVersion(),
                "clientCertificates",
                config.clientCa() == null ? "not asked for" : "required",
                "subject",
                first.leaf.getSubjectX500Principal().getName(),
                "notAfter",
                first.leaf.getNotAfter().toInstant().toString());
        return tls;
    }

    /** OpenSSL-class speed where netty-tcnative's BoringSSL loads (linux-x86_64), the JDK elsewhere. */
    static SslProvider bestProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    static String describe(SslProvider provider) {
        return provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /** A handler for one new connection, from the context current now. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        return handler;
    }

    /** The provider in use, for tests and the start log: OPENSSL or JDK. */
    public SslProvider provider() {
        return provider;
    }

    void reloadIfChanged() {
        byte[][] files;
        try {
            files = read(config);
        } catch (InvalidTlsMaterialException e) {
            failed(e.getMessage(), new byte[0][]); // a file gone: counted once, until it is back
            return;
        }
        if (Arrays.deepEquals(files, lastSeen)) {
            return;
        }
        try {
            Loaded next = build(config, provider, files);
            context = next.context;
            leaf = next.leaf;
            lastSeen = files;
            metrics.tlsReload(TlsReloadResult.success).increment();
            LOG.info(
                    "TLS certificate renewed",
                    "subject",
                    next.leaf.getSubjectX500Principal().getName(),
                    "notAfter",
                    next.leaf.getNotAfter().toInstant().toString());
        } catch (InvalidTlsMaterialException e) {
            failed(e.getMessage(), files);
        } catch (RuntimeException e) {
            failed(String.valueOf(e), files);
        }
    }

    private void failed(String why, byte[][] files) {
        if (Arrays.deepEquals(files, lastSeen)) {
            return;
        }
        lastSeen = files;
        metrics.tlsReload(TlsReloadResult.failure).increment();
        LOG.warn(
                "TLS files changed but cannot be used; keeping the current certificate",
                "error",
                why,
                "notAfter",
                leaf.getNotAfter().toInstant().toString());
    }

    private record Loaded(SslContext context, X509Certificate leaf) {}

    private static byte[][] read(TlsConfig config) throws InvalidTlsMaterialException {
        return new byte[][] {
            readFile(config.certificate()),
            readFile(config.key()),
            config.clientCa() == null ? new byte[0] : readFile(config.clientCa())
        };
    }

    private static byte[] readFile(Path path) throws InvalidTlsMaterialException {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new InvalidTlsMaterialException("cannot read " + path + ": " + e);
        }
    }

    private static Loaded build(TlsConfig config, SslProvider provider, byte[][] files)
            throws InvalidTlsMaterialException {
        KeyMaterial material = KeyMaterial.parse(files[0], files[1], Instant.now());
        SslContextBuilder builder = SslContextBuilder.forServer(
                        material.key(), material.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols(
                        config.minVersion().equals("TLSv1.3")
                                ? new String[] {"TLSv1.3"}
                                : new String[] {"TLSv1.3", "TLSv1.2"});
        if (!config.ciphers().isEmpty()) {
            builder.ciphers(config.ciphers(), SupportedCipherSuiteFilter.INSTANCE);
        }
        if (config.clientCa() != null) {
            List<X509Certificate> cas = KeyMaterial.certificates(files[2], "CA certificate");
            builder.trustManager(cas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
        }
        // BoringSSL sends two TLS 1.3 session tickets per handshake where Go and the JDK send one;
        // netty-tcnative cannot change that count on BoringSSL (docs/bench/data-plane.md, TLS).
        try {
            return new Loaded(builder.build(), material.leaf());
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidTlsMaterialException("cannot build a TLS context: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
