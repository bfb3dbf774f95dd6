package io.tcpfleet.server.handler.proxy;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.tcpfleet.server.connection.ClientAddress;
import io.tcpfleet.server.tls.UpstreamTls;

/**
 * What a new upstream connection carries before the client's first byte: the PROXY v2 header
 * ({@code --upstream-proxy-protocol v2}), then the TLS handshake ({@code --upstream-tls}). The header
 * goes first and in the clear, as HAProxy sends it with {@code send-proxy-v2 ssl}: the receiver must
 * read it before it knows whether TLS follows, and a tcpfleet data port reads it that way too.
 */
public final class UpstreamPreamble {

    static final String TLS = "upstream-tls";

    private final boolean proxyHeader;
    private final UpstreamTls tls;

    /**
     * @param proxyHeader start with a PROXY v2 header naming the client
     * @param tls null for a plaintext upstream
     */
    public UpstreamPreamble(boolean proxyHeader, UpstreamTls tls) {
        this.proxyHeader = proxyHeader;
        this.tls = tls;
    }

    /** The connection, once ready for the client's bytes; failed if its TLS handshake failed. */
    Future<Channel> open(Channel backend, Channel frontend, long timeoutMillis) {
        if (proxyHeader) {
            ProxyHeaderWriter.write(backend, ClientAddress.of(frontend), frontend.localAddress());
        }
        if (tls == null) {
            return backend.eventLoop().newSucceededFuture(backend);
        }
        // Added after the header was written, so the header is ahead of the ClientHello on the wire.
        SslHandler ssl = tls.newHandler(backend.alloc());
        ssl.setHandshakeTimeoutMillis(timeoutMillis);
        backend.pipeline().addFirst(TLS, ssl);
        backend.read(); // AUTO_READ is off; the handler asks for more itself until the handshake is done
        return ssl.handshakeFuture();
    }

    /** For log lines: the name the upstream's certificate must carry, null without TLS. */
    String serverName() {
        return tls == null ? null : tls.serverName();
    }
}
