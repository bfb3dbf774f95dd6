package io.tcpfleet.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tcpfleet.server.config.HostPort;
import io.tcpfleet.server.config.UpstreamTlsConfig;
import io.tcpfleet.server.logging.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * TLS from the proxy handler to its upstream ({@code --upstream-tls}): the upstream's chain must lead
 * to {@code --upstream-tls-ca} (or the JDK's trust store) and name the server name, which is also the
 * SNI sent. There is no switch to skip either check. Same provider as the data port.
 */
public final class UpstreamTls {

    private static final Log LOG = Log.get(UpstreamTls.class);

    private final SslContext context;
    private final String serverName;
    private final int port;

    private UpstreamTls(SslContext context, String serverName, int port) {
        this.context = context;
        this.serverName = serverName;
        this.port = port;
    }

    /** The client context for {@code upstream}, or one line saying why the CA file cannot serve. */
    public static UpstreamTls start(UpstreamTlsConfig config, HostPort upstream) throws InvalidTlsMaterialException {
        SslProvider provider = ServerTls.bestProvider();
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                // Netty 4.2 checks the host name by default; said here so no later default can undo it.
                .endpointIdentificationAlgorithm("HTTPS");
        if (config.ca() != null) {
            List<X509Certificate> cas;
            try {
                cas = KeyMaterial.certificates(Files.readAllBytes(config.ca()), "CA certificate");
            } catch (IOException e) {
                throw new InvalidTlsMaterialException("cannot read " + config.ca() + ": " + e);
            }
            builder.trustManager(cas.toArray(X509Certificate[]::new));
        }
        String serverName = config.serverName() == null ? upstream.host() : config.serverName();
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidTlsMaterialException("cannot build a TLS context: " + e.getMessage());
        }
        LOG.info(
                "TLS to the upstream",
                "upstream",
                upstream.toString(),
                "serverName",
                serverName,
                "trust",
                config.ca() == null ? "the JDK's trust store" : config.ca().toString(),
                "provider",
                ServerTls.describe(provider));
        return new UpstreamTls(context, serverName, upstream.port());
    }

    /** A client handler for one upstream connection: SNI and the host name check use the server name. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return context.newHandler(alloc, serverName, port);
    }

    /** The name the upstream's certificate must carry. */
    public String serverName() {
        return serverName;
    }
}
