package io.tcpfleet.server.handler.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;

/**
 * Stands where the relay will be on an upstream connection until the relay replaces it, and keeps
 * what arrives meanwhile: the reads of a TLS handshake may bring the upstream's first bytes, or its
 * FIN, with the last handshake record. Replaced, it hands them to the relay in order. Per connection.
 */
final class EarlyUpstreamBytes extends ChannelInboundHandlerAdapter {

    static final String NAME = "upstream-early";

    /** The bootstrap's handler: one holder per new upstream connection, behind the {@link UpstreamFin}. */
    static final ChannelInitializer<Channel> INSTALLER = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast(UpstreamFin.INSTANCE).addLast(NAME, new EarlyUpstreamBytes());
        }
    };

    private ArrayDeque<Object> held;

    /**
     * Puts {@code relay} in this holder's place; what the holder kept goes to the relay first. False if
     * the connection was torn down already.
     */
    static boolean replaceWith(Channel backend, ChannelHandler relay) {
        if (backend.pipeline().context(NAME) == null) {
            return false;
        }
        backend.pipeline().replace(NAME, "relay", relay);
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        hold(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            hold(evt);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed handshake: the connector sees it on the handshake's future and counts it there.
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held == null) {
            return;
        }
        // Netty links a replaced handler's context to its successor, so these reach the relay.
        boolean read = false;
        for (Object o = held.poll(); o != null; o = held.poll()) {
            if (o instanceof ChannelInputShutdownEvent) {
                ctx.fireUserEventTriggered(o);
            } else {
                ctx.fireChannelRead(o);
                read = true;
            }
        }
        if (read) {
            ctx.fireChannelReadComplete();
        }
    }

    private void hold(Object msg) {
        if (held == null) {
            held = new ArrayDeque<>(2);
        }
        held.add(msg);
    }
}
