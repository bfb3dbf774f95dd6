package io.tcpfleet.server.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.tcpfleet.server.pipeline.TerminalHandler;

/**
 * Bytes back, as they came. The same buffer is written back (no copy), with the void promise so
 * nothing is allocated per message; flushing once per read batch. Backpressure is its own: it stops
 * reading while the outbound buffer is above the high water mark and resumes below the low one (the
 * job {@code AutoReadBackpressure} does for plugins; done here, it saves every connection a pipeline
 * context). It is also the pipeline's last handler, a {@link TerminalHandler} (errors,
 * half-close), for the same reason. Stateless, hence shared. A bulk connection on epoll moves on to
 * {@link SpliceEcho}.
 */
@Sharable
public final class EchoHandler extends TerminalHandler {

    public static final EchoHandler INSTANCE = new EchoHandler();

    private EchoHandler() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (SpliceEcho.wanted(ctx.channel(), msg)) {
            SpliceEcho.start(ctx, (ByteBuf) msg);
            return;
        }
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
