package io.tcpfleet.server.plugin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sits on the event loop in front of a blocking plugin's handlers, which run on the worker pool.
 * Handing an event to a worker whose queue is full throws {@link RejectedExecutionException} right
 * here (Netty calls {@code execute} from the caller's thread): the work is dropped and counted and
 * the connection closed, since a protocol stream with a hole in it cannot go on.
 * Per connection: it remembers that it already refused.
 */
final class WorkerOverflowGuard extends ChannelInboundHandlerAdapter {

    private static final Log LOG = Log.get(WorkerOverflowGuard.class);

    private final ServerMetrics metrics;
    private boolean refused;

    WorkerOverflowGuard(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            ctx.fireChannelRead(msg);
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(msg);
            refuse(ctx);
        }
    }

    /** The queue was full when the connection arrived: refuse it the same way. */
    static void refuseAtAccept(io.netty.channel.Channel channel, ServerMetrics metrics) {
        metrics.workerRejected().increment();
        ConnectionTracker.close(channel, CloseReason.limit);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (refused) {
            return;
        }
        try {
            ctx.fireChannelReadComplete();
        } catch (RejectedExecutionException e) {
            refuse(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        try {
            ctx.fireUserEventTriggered(evt);
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(evt);
            refuse(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        try {
            ctx.fireChannelActive();
        } catch (RejectedExecutionException e) {
            refuse(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        try {
            ctx.fireChannelWritabilityChanged();
        } catch (RejectedExecutionException e) {
            refuse(ctx);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        try {
            ctx.fireExceptionCaught(cause);
        } catch (RejectedExecutionException e) {
            refuse(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        try {
            ctx.fireChannelInactive();
        } catch (RejectedExecutionException e) {
            // Closed already; the plugin misses the notice (counted once per connection).
            if (!refused) {
                refused = true;
                metrics.workerRejected().increment();
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx) {
        if (refused) {
            return;
        }
        refused = true;
        metrics.workerRejected().increment();
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "worker queue full, connection refused",
                    "remote",
                    String.valueOf(ctx.channel().remoteAddress()));
        }
        ConnectionTracker.close(ctx.channel(), CloseReason.limit);
    }
}
