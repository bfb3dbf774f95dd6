package io.tcpfleet.server.pipeline;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.tcpfleet.server.connection.ClientAddress;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import java.io.IOException;

/**
 * Last handler: an error nobody handled is logged once and closes the connection; a client that
 * half-closed gets everything already written, then the close; a message nobody consumed is released.
 * A handler that is last anyway (echo) can extend it and save the connection a pipeline context;
 * the initializer then adds no other.
 */
@Sharable
public class TerminalHandler extends ChannelInboundHandlerAdapter {

    public static final TerminalHandler INSTANCE = new TerminalHandler();
    private static final Log LOG = Log.get(TerminalHandler.class);

    protected TerminalHandler() {}

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isActive()) {
            if (cause instanceof IOException) {
                // Resets and broken pipes are the peer's business, not an operator's.
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "connection error",
                            "remote",
                            String.valueOf(ClientAddress.of(ctx.channel())),
                            "error",
                            String.valueOf(cause));
                }
            } else {
                LOG.warn("connection failed", cause, "remote", String.valueOf(ClientAddress.of(ctx.channel())));
            }
        }
        ConnectionTracker.close(ctx.channel(), CloseReason.error);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
