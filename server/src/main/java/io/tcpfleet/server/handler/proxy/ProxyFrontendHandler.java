package io.tcpfleet.server.handler.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.tcpfleet.server.connection.ClientAddress;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;

/**
 * The client side of a proxied connection: on accept, connects to the upstream on this channel's
 * own event loop (no cross-thread hand-off per chunk), lets the {@link UpstreamPreamble} go first,
 * then relays both ways. Per connection.
 *
 * <p>Reads are asked for only once the upstream is there, with one exception: the read that brought
 * a PROXY protocol header may have brought the client's first bytes, and its FIN, with it. Those are
 * held here and passed on when the upstream is connected.
 */
public final class ProxyFrontendHandler extends Relay {

    private static final Log LOG = Log.get(ProxyFrontendHandler.class);

    private final UpstreamConnector connector;
    private CompositeByteBuf early;
    private boolean earlyInputShutdown;

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
                            String.valueOf(ClientAddress.of(frontend)),
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
            if (!EarlyUpstreamBytes.replaceWith(backend, new BackendRelay(frontend))) {
                ConnectionTracker.close(frontend, CloseReason.error); // the upstream hung up at once
                return;
            }
            if (early != null) {
                ByteBuf held = early;
                early = null;
                backend.writeAndFlush(held, backend.voidPromise());
            }
            if (earlyInputShutdown) {
                super.userEventTriggered(ctx, ChannelInputShutdownEvent.INSTANCE);
            } else {
                frontend.read();
            }
            backend.read();
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null && msg instanceof ByteBuf) {
            if (early == null) {
                early = ctx.alloc().compositeBuffer();
            }
            early.addComponent(true, (ByteBuf) msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (peer == null && evt instanceof ChannelInputShutdownEvent) {
            earlyInputShutdown = true;
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ReferenceCountUtil.release(early);
        early = null;
    }
}
