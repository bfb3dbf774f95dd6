package io.tcpfleet.server.handler.proxy;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollInterest;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * On every upstream connection, for its whole life: on the upstream's FIN, keeps the channel in
 * epoll ({@link EpollInterest}), as the {@code ConnectionTracker} does for accepted connections, since
 * the client may still be sending.
 */
@Sharable
final class UpstreamFin extends ChannelInboundHandlerAdapter {

    static final UpstreamFin INSTANCE = new UpstreamFin();

    private UpstreamFin() {}

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            EpollInterest.keepRegistered(ctx.channel());
        }
        ctx.fireUserEventTriggered(evt);
    }
}
