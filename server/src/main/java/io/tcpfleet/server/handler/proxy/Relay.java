package io.tcpfleet.server.handler.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Moves bytes from this channel to its peer, one direction of the proxy. AUTO_READ is off on both
 * sides: the next read is asked for only after the last batch was written and the peer's outbound
 * buffer is below its high water mark, or later when the peer drains (writability change). Writes
 * use the void promise, so relaying allocates nothing per chunk. A half-close is passed on
 * (FIN after the pending bytes); once both directions are shut the two channels close.
 */
class Relay extends ChannelInboundHandlerAdapter {

    protected Channel peer;

    Relay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null || !peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer == null) {
            return;
        }
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained below its low mark: the peer may read again and send us more.
        if (peer != null && ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            Channel self = ctx.channel();
            if (peer == null || !peer.isActive()) {
                self.close();
                return;
            }
            Channel target = peer;
            target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    closeBoth(self, target);
                    return;
                }
                ((DuplexChannel) target).shutdownOutput().addListener((ChannelFutureListener) s -> {
                    closeIfBothWaysShut(self);
                    closeIfBothWaysShut(target);
                });
            });
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != null && peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireChannelInactive();
    }

    private static void closeIfBothWaysShut(Channel ch) {
        DuplexChannel duplex = (DuplexChannel) ch;
        if (duplex.isInputShutdown() && duplex.isOutputShutdown()) {
            ch.close();
        }
    }

    private static void closeBoth(Channel a, Channel b) {
        a.close();
        b.close();
    }
}
