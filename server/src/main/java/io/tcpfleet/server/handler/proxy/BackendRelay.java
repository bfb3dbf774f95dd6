package io.tcpfleet.server.handler.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.metrics.CloseReason;

/** The upstream side of a proxied connection: relays to the client; an upstream error ends both. */
final class BackendRelay extends Relay {

    BackendRelay(Channel frontend) {
        super(frontend);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        ConnectionTracker.close(peer, CloseReason.error);
    }
}
