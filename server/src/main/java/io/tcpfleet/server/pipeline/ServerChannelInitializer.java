package io.tcpfleet.server.pipeline;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.RefuseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import io.tcpfleet.server.tls.ServerTls;
import io.tcpfleet.server.tls.TlsHandshakeObserver;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Admits or refuses each accepted socket and builds its pipeline in the order documented in
 * {@link HandlerNames}. The handler-specific part is {@code installHandler}.
 */
public final class ServerChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ConnectionRegistry registry;
    private final ServerMetrics metrics;
    private final boolean readsSteeredByHandler;
    private final Consumer<ChannelPipeline> installHandler;
    private final Duration proxyHeaderTimeout;
    private final ServerTls tls;
    private final TlsHandshakeObserver tlsObserver;

    /**
     * @param readsSteeredByHandler true for the proxy, which runs with AUTO_READ off and asks for
     *                              reads itself
     * @param installHandler        adds the handler and its backpressure: echo switches auto-read
     *                              itself, plugins get {@link AutoReadBackpressure} in front
     * @param proxyHeaderTimeout    null, or each connection starts with a PROXY protocol header that
     *                              must be in within this time
     * @param tls                   null, or the data port speaks TLS
     */
    public ServerChannelInitializer(
            ConnectionRegistry registry,
            ServerMetrics metrics,
            boolean readsSteeredByHandler,
            Consumer<ChannelPipeline> installHandler,
            Duration proxyHeaderTimeout,
            ServerTls tls) {
        this.registry = registry;
        this.metrics = metrics;
        this.readsSteeredByHandler = readsSteeredByHandler;
        this.installHandler = installHandler;
        this.proxyHeaderTimeout = proxyHeaderTimeout;
        this.tls = tls;
        this.tlsObserver = tls == null ? null : new TlsHandshakeObserver(metrics);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        metrics.accepted().increment();
        switch (registry.tryAdmit(ch)) {
            case OVER_LIMIT:
                refuse(ch, RefuseReason.limit, CloseReason.limit);
                return;
            case DRAINING:
                refuse(ch, RefuseReason.drain, CloseReason.drain);
                return;
            default:
                break;
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast(HandlerNames.TRACKER, new ConnectionTracker(metrics, registry));
        if (readsSteeredByHandler) {
            ch.config().setAutoRead(false);
        }
        if (proxyHeaderTimeout != null) {
            ProxyHeaderReader.addTo(p, proxyHeaderTimeout);
        }
        if (tls != null) {
            p.addLast(HandlerNames.TLS, tls.newHandler(ch.alloc()));
            p.addLast(HandlerNames.TLS_EVENTS, tlsObserver);
        }
        installHandler.accept(p);
        if (!(p.last() instanceof TerminalHandler)) {
            p.addLast(HandlerNames.TERMINAL, TerminalHandler.INSTANCE);
        }
    }

    private void refuse(SocketChannel ch, RefuseReason refused, CloseReason closed) {
        metrics.refused(refused).increment();
        metrics.closed(closed).increment();
        ch.close();
    }
}
