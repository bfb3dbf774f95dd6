package io.tcpfleet.server.handler;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Bytes back, as they came. The same buffer is written back (no copy), with the void promise so
 * nothing is allocated per message; flushing once per read batch. Backpressure is the pipeline's
 * {@code AutoReadBackpressure}. Stateless, hence shared.
 */
@Sharable
public final class EchoHandler extends ChannelInboundHandlerAdapter {

    public static final EchoHandler INSTANCE = new EchoHandler();

    private EchoHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
