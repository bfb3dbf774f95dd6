package io.tcpfleet.server.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading while the connection's outbound buffer is above the high water mark and resumes
 * below the low one, so a client that does not read cannot make the server buffer without bound.
 * Stateless, hence shared.
 */
@Sharable
public final class AutoReadBackpressure extends ChannelInboundHandlerAdapter {

    public static final AutoReadBackpressure INSTANCE = new AutoReadBackpressure();

    private AutoReadBackpressure() {}

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
