package io.tcpfleet.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollInterest;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every admitted connection: counts bytes both ways, remembers when it was last
 * busy (for the drain) and when it last read (for the {@link IdleSweep}), why it closed, and on
 * close records the metrics and one debug line. Per connection, so every field is heap that each
 * idle connection pays for; all are touched on the connection's event loop only, except the
 * volatile ones the drain reads or sets and the list links, which change under their list's lock.
 */
public final class ConnectionTracker extends ChannelDuplexHandler {

    /** A connection is idle for the drain when no byte moved for this long and nothing waits to be written. */
    static final long IDLE_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Log LOG = Log.get(ConnectionTracker.class);
    private static final VarHandle ASKED;

    static {
        try {
            ASKED = MethodHandles.lookup().findVarHandle(ConnectionTracker.class, "asked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ServerMetrics metrics;
    private final ConnectionRegistry registry;
    private final long openedNanos = System.nanoTime();
    private long bytesIn;
    private long bytesOut;
    private volatile long lastActivityNanos = openedNanos;
    private CloseReason reason;
    private Channel channel;
    /** The event loop's ticker time of the last read (or of the open). */
    private long lastReadNanos;
    /** Asked to go, by the drain or by its age: a connection is asked once ({@link GoAway}). */
    @SuppressWarnings("UnusedVariable") // set and read through ASKED
    private volatile boolean asked;
    /** The --max-connection-age task pending for this connection, cancelled when it closes. */
    ScheduledFuture<?> ageTimer;
    /** Links in the list of this event loop's connections ({@link LoopConnections}). */
    ConnectionTracker prevOnLoop;

    ConnectionTracker nextOnLoop;

    public ConnectionTracker(ServerMetrics metrics, ConnectionRegistry registry) {
        this.metrics = metrics;
        this.registry = registry;
    }

    /** The tracker of {@code channel}, or null for a channel that was never admitted. */
    public static ConnectionTracker of(Channel channel) {
        return channel.pipeline().get(ConnectionTracker.class);
    }

    /**
     * Closes the connection with {@code why} as its recorded reason, unless it already has one.
     * Safe from any thread.
     */
    public static void close(Channel channel, CloseReason why) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(channel, why));
            return;
        }
        ConnectionTracker tracker = of(channel);
        if (tracker != null && tracker.reason == null) {
            tracker.reason = why;
        }
        channel.close();
    }

    /** System.nanoTime() when the connection was admitted: a rebalance asks the oldest first. */
    public long openedNanos() {
        return openedNanos;
    }

    /** Nanos since bytes last moved in either direction. */
    public long quietNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    /** Idle enough to be closed when asked to go: quiet for a second and nothing left to write; from any thread. */
    public boolean idle() {
        return quietNanos() >= IDLE_QUIET_NANOS && unsentBytes() == 0;
    }

    /** True once the connection was asked to go. */
    public boolean asked() {
        return (boolean) ASKED.getVolatile(this);
    }

    /** Marks the connection asked to go; false if it already was. From any thread. */
    boolean markAsked() {
        return ASKED.compareAndSet(this, false, true);
    }

    /**
     * Bytes still to be written to the peer: the outbound buffer's plus those a {@link HoldsBytes}
     * handler holds. The drain waits for them before it calls a connection idle; from any thread.
     */
    public long unsentBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        HoldsBytes holder = channel.pipeline().get(HoldsBytes.class);
        return (out == null ? 0 : out.totalPendingWriteBytes()) + (holder == null ? 0 : holder.heldBytes());
    }

    Channel channel() {
        return channel;
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        lastReadNanos = ctx.executor().ticker().nanoTime();
        registry.joined(this);
    }

    /** A spliced echo ({@code SpliceEcho}) that saw the FIN hands the channel back with a fresh interest set. */
    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        if (((DuplexChannel) ctx.channel()).isInputShutdown()) {
            EpollInterest.keepRegistered(ctx.channel());
        }
        ctx.fireChannelRegistered();
    }

    /** The peer's FIN: Netty may empty the interest set from here on ({@link EpollInterest}). */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            EpollInterest.keepRegistered(ctx.channel());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        received(readable(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        sent(readable(msg));
        ctx.write(msg, promise);
    }

    /** Counts a read of {@code n} bytes, also one made past the pipeline (the splice echo); on the event loop. */
    public void received(int n) {
        lastReadNanos = channel.eventLoop().ticker().nanoTime();
        if (n > 0) {
            bytesIn += n;
            lastActivityNanos = System.nanoTime();
            metrics.bytesReceived().increment(n);
        }
    }

    /** Counts {@code n} bytes written, also past the pipeline; on the event loop. */
    public void sent(int n) {
        if (n > 0) {
            bytesOut += n;
            lastActivityNanos = System.nanoTime();
            metrics.bytesSent().increment(n);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ageTimer != null) {
            ageTimer.cancel(false);
            ageTimer = null;
        }
        CloseReason why = reason == null ? CloseReason.client : reason;
        long nanos = System.nanoTime() - openedNanos;
        metrics.closed(why).increment();
        metrics.connectionDuration().record(nanos, TimeUnit.NANOSECONDS);
        registry.released(this); // last: the drain reads the counts above once the registry is empty
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "connection closed",
                    "remote",
                    String.valueOf(ClientAddress.of(ctx.channel())),
                    "durationMs",
                    TimeUnit.NANOSECONDS.toMillis(nanos),
                    "bytesIn",
                    bytesIn,
                    "bytesOut",
                    bytesOut,
                    "reason",
                    why.name());
        }
        ctx.fireChannelInactive();
    }

    /** Marks the reason for a close that is about to happen on this event loop. */
    public void reason(CloseReason why) {
        if (reason == null) {
            reason = why;
        }
    }

    private static int readable(Object msg) {
        if (msg instanceof ByteBuf) {
            return ((ByteBuf) msg).readableBytes();
        }
        if (msg instanceof ByteBufHolder) {
            return ((ByteBufHolder) msg).content().readableBytes();
        }
        return 0;
    }
}
