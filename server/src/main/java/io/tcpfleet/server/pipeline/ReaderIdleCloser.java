package io.tcpfleet.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tcpfleet.server.connection.CloseReason;
import io.tcpfleet.server.connection.ConnectionTracker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Closes a connection that sent nothing for the idle timeout (writes do not count: a stuck reader is idle too). */
final class ReaderIdleCloser extends IdleStateHandler {

    ReaderIdleCloser(Duration readerIdle) {
        super(readerIdle.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ConnectionTracker.close(ctx.channel(), CloseReason.idle);
    }
}
