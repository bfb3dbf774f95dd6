package io.tcpfleet.server.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollSocketChannel;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.pipeline.TerminalHandler;

/**
 * Bytes back, as they came. The same buffer is written back (no copy), with the void promise so
 * nothing is allocated per message; flushing once per read batch. Backpressure is its own: it stops
 * reading while the outbound buffer is above the high water mark and resumes below the low one (the
 * job {@code AutoReadBackpressure} does for plugins; done here, it saves every connection a pipeline
 * context, 64 B of heap). It is also the pipeline's last handler, a {@link TerminalHandler} (errors,
 * half-close), for the same reason. Stateless, hence shared.
 * <p>
 * On epoll a bulk stream is echoed in the kernel: the first read of {@link #SPLICE_AFTER} bytes or
 * more switches the connection to splice(2) (socket to pipe to the same socket, Netty's
 * {@code spliceTo}), so its bytes are never copied to user space, as Go's {@code io.Copy} does;
 * measured in docs/bench/results.md. Chatty connections never read that much at once and stay on
 * the pipeline. Spliced bytes are counted {@link #SPLICE_CHUNK} at a time, when each chunk has been
 * echoed; the kernel tells the idle sweep and the drain when the connection last received.
 * {@code -Dtcpfleet.echo.splice=false} turns it off.
 */
@Sharable
public final class EchoHandler extends TerminalHandler {

    public static final String SPLICE_PROPERTY = "tcpfleet.echo.splice";
    /** A read at least this big marks a bulk stream (the receive buffer had to grow to hold it). */
    static final int SPLICE_AFTER = 64 * 1024;
    /** Spliced bytes are counted in these steps; at most this much of a connection goes uncounted. */
    public static final int SPLICE_CHUNK = 256 * 1024;

    public static final EchoHandler INSTANCE = new EchoHandler(false);
    private static final EchoHandler SPLICING = new EchoHandler(true);

    private final boolean splice;

    private EchoHandler(boolean splice) {
        this.splice = splice;
    }

    /** The echo for a transport: splicing on epoll unless {@code -Dtcpfleet.echo.splice=false}. */
    public static EchoHandler forTransport(boolean epoll) {
        return epoll && Boolean.parseBoolean(System.getProperty(SPLICE_PROPERTY, "true")) ? SPLICING : INSTANCE;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean bulk = splice && msg instanceof ByteBuf && ((ByteBuf) msg).readableBytes() >= SPLICE_AFTER;
        ctx.write(msg, ctx.voidPromise());
        if (bulk && ctx.channel() instanceof EpollSocketChannel) {
            ConnectionTracker tracker = ConnectionTracker.of(ctx.channel());
            if (tracker != null && !tracker.splicing()) {
                EpollSocketChannel ch = (EpollSocketChannel) ctx.channel();
                tracker.splicing(() -> ch.tcpInfo().lastDataRecv());
                ch.config().setEpollMode(EpollMode.LEVEL_TRIGGERED); // spliceTo needs it: a splice may leave bytes
                spliceChunk(ch, tracker);
            }
        }
    }

    /**
     * One chunk in the kernel, then the next. The bytes written above stay ahead of it (one outbound
     * queue); between two chunks a read may go through the pipeline, counted as usual. A failed
     * chunk means the connection closed.
     */
    private static void spliceChunk(EpollSocketChannel ch, ConnectionTracker tracker) {
        ch.spliceTo(ch, SPLICE_CHUNK).addListener(done -> {
            if (done.isSuccess()) {
                tracker.spliced(SPLICE_CHUNK);
                spliceChunk(ch, tracker);
            }
        });
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
