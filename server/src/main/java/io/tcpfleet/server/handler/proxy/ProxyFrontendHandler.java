package io.tcpfleet.server.handler.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;

/**
 * The client side of a proxied connection: on accept, connects to the upstream on this channel's
 * own event loop (no cross-thread hand-off per chunk), then relays both ways. Per connection.
 */
public final class ProxyFrontendHandler extends Relay {

    private static final Log LOG = Log.get(ProxyFrontendHandler.class);

    private final UpstreamConnector connector;

    public ProxyFrontendHandler(UpstreamConnector connector) {
        super(null);
        this.connector = connector;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel frontend = ctx.channel();
        connector.connect(frontend).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "upstream unavailable",
                            "remote",
                            String.valueOf(frontend.remoteAddress()),
                            "error",
                            String.valueOf(f.cause()));
                }
                ConnectionTracker.close(frontend, CloseReason.error);
                return;
            }
            Channel backend = f.getNow();
            if (!frontend.isActive()) {
                backend.close();
                return;
            }
            peer = backend;
            backend.pipeline().addLast("relay", new BackendRelay(frontend));
            frontend.read();
            backend.read();
        });
        ctx.fireChannelActive();
    }
}
