package io.tcpfleet.server.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.connection.HoldsBytes;
import io.tcpfleet.server.pipeline.TerminalHandler;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The echo of a bulk connection on epoll, without a copy to user space: bytes go from the socket
 * into a pipe and from the pipe back into the socket with splice(2), as Go's {@code io.Copy(c, c)}
 * does. {@link EchoHandler} hands a connection over when one read fills the receive allocator's
 * largest buffer; small messages stay on the pipeline, where a read and a write are as cheap.
 * <p>
 * Netty's own {@code spliceTo} is not used: after a splice it takes the input for ended as soon as
 * the peer's FIN was seen, even when the splice stopped only because the pipe was full, and the
 * echo then closes with bytes still unread (a client that half-closes loses them). Instead the
 * channel is taken off its event loop's registration and this handle registers the same descriptor
 * on the same loop. The pipe is drained into the socket before more is read, so a 0 from the read
 * side with the peer's FIN seen is the end of the stream; the connection then closes as the copy
 * path closes it after a half-close, everything echoed first.
 * <p>
 * The channel stays what the rest of the server sees: the {@link ConnectionTracker} counts the
 * spliced bytes and the last read (idle sweep, drain) and learns what the pipe holds, a close from anywhere comes through
 * {@link #close} and puts the channel back on its loop first, so it closes and reports as any other.
 * The pipe is the kernel's default 64 KiB (Netty offers no {@code F_SETPIPE_SZ}; Go asks for 1 MiB)
 * and lives as long as the connection: two more descriptors per bulk connection.
 * {@value #PROPERTY}{@code =false} keeps every connection on the copy path.
 */
public final class SpliceEcho extends ChannelDuplexHandler implements EpollIoHandle, Runnable, HoldsBytes {

    public static final String PROPERTY = "tcpfleet.echo.splice";
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    /** The cap of the receive allocator ({@code AdaptiveRecvByteBufAllocator}): a read this large means bulk. */
    static final int BULK_READ = 64 * 1024;

    private static final int SPLICE_MAX = 1 << 20;
    /** Bytes moved per turn before the loop's other connections get theirs. */
    private static final long TURN = 1 << 20;

    /** Echoing what the pipeline read; leaving the channel's registration (once); splicing; or back to copying. */
    private enum Mode {
        HANDOVER,
        LEAVING,
        SPLICE,
        COPY
    }

    private final EpollSocketChannel channel;
    private final ConnectionTracker tracker;
    private final FileDescriptor pipeReadEnd;
    private final FileDescriptor pipeWriteEnd;
    private ChannelHandlerContext ctx;
    private Mode mode = Mode.HANDOVER;
    private ChannelFuture lastWrite;
    private boolean inputShut;
    private IoRegistration registration;
    private ChannelFuture backOnLoop;
    private ChannelFuture leaving;
    private boolean peerFinished;

    private volatile int inPipe; // only the event loop writes; volatile for the drain's reads

    private SpliceEcho(EpollSocketChannel channel, FileDescriptor[] pipe) {
        this.channel = channel;
        this.tracker = ConnectionTracker.of(channel);
        this.pipeReadEnd = pipe[0];
        this.pipeWriteEnd = pipe[1];
    }

    /** Whether {@code read}, just read from {@code ch}, marks a bulk connection to splice. */
    static boolean wanted(Channel ch, Object read) {
        return ENABLED
                && ch instanceof EpollSocketChannel
                && ch.pipeline().get(SslHandler.class) == null // splice would bypass the encryption
                && read instanceof ByteBuf
                && ((ByteBuf) read).readableBytes() >= BULK_READ;
    }

    /** Echoes {@code first} and moves the connection to splice once it is written. */
    static void start(ChannelHandlerContext ctx, ByteBuf first) {
        FileDescriptor[] pipe;
        try {
            pipe = FileDescriptor.pipe();
        } catch (IOException outOfDescriptors) {
            ctx.write(first, ctx.voidPromise());
            return;
        }
        SpliceEcho splice = new SpliceEcho((EpollSocketChannel) ctx.channel(), pipe);
        ctx.channel().config().setAutoRead(false);
        ctx.pipeline().replace(ctx.handler(), ctx.name(), splice);
        splice.channelRead(splice.ctx, first);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Bytes in the pipe: read but not yet written back. */
    @Override
    public int heldBytes() {
        return inPipe;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (mode == Mode.HANDOVER) {
            lastWrite = ctx.write(msg);
            lastWrite.addListener(this::written);
        } else {
            ctx.write(msg, ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** Netty closes a registered channel on a failed read or write without a pipeline close: the pipe goes too. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closePipe();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (mode == Mode.COPY) {
            channel.config().setAutoRead(channel.isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
        }
        TerminalHandler.INSTANCE.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        TerminalHandler.INSTANCE.exceptionCaught(ctx, cause);
    }

    private void written(Future<?> f) {
        if (f == lastWrite && f.isSuccess() && mode == Mode.HANDOVER && !inputShut && channel.isActive()) {
            mode = Mode.LEAVING;
            // Not from inside this wake-up: the same epoll event may still read (a FIN, a reset) and
            // close the channel. Netty runs a deregistration later, and a close that lands between the
            // request and the deregistration loses its channelInactive.
            channel.eventLoop().execute(this::leave);
        }
    }

    private void leave() {
        if (mode != Mode.LEAVING) {
            return;
        }
        if (inputShut || !channel.isActive()) {
            mode = Mode.COPY; // the pipeline finishes the connection: echo what it read, then close
            return;
        }
        leaving = channel.deregister();
        leaving.addListener(this::deregistered);
    }

    private void deregistered(Future<?> f) {
        if (!f.isSuccess() || !channel.isOpen() || mode != Mode.LEAVING) {
            closePipe();
            return;
        }
        // Bytes read in the same wake-up as the handover (a FIN reads the socket dry) are still
        // the pipeline's to write, and come first: stay on the copy path.
        if (inputShut || !channel.unsafe().outboundBuffer().isEmpty()) {
            copyFromNowOn();
            return;
        }
        // Registering on the loop's own thread completes at once: the registration is known
        // before anything else can close the channel.
        registered(((IoEventLoop) channel.eventLoop()).register(this));
    }

    private void registered(Future<?> f) {
        if (!f.isSuccess()) {
            copyFromNowOn();
            return;
        }
        registration = (IoRegistration) f.getNow();
        try {
            // Edge-triggered, as Netty's channels: each wake-up moves bytes until the socket says EAGAIN.
            registration.submit(EpollIoOps.EPOLLET
                    .with(EpollIoOps.EPOLLIN)
                    .with(EpollIoOps.EPOLLOUT)
                    .with(EpollIoOps.EPOLLRDHUP));
        } catch (UncheckedIOException e) {
            copyFromNowOn();
            return;
        }
        mode = Mode.SPLICE;
        run();
    }

    private void copyFromNowOn() {
        mode = Mode.COPY;
        closePipe();
        backOnLoop().addListener(f -> {
            channel.config().setAutoRead(true);
            ctx.flush();
        });
    }

    @Override
    public FileDescriptor fd() {
        return channel.fd();
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (((EpollIoEvent) event).ops().contains(EpollIoOps.EPOLLRDHUP)) {
            peerFinished = true;
        }
        run();
    }

    /** Moves bytes until the socket has none or takes none; on the event loop. */
    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // see inPipe
    public void run() {
        if (mode != Mode.SPLICE || registration == null) {
            return;
        }
        int fd = channel.fd().intValue();
        long moved = 0;
        try {
            for (; ; ) {
                while (inPipe > 0) {
                    int n = Native.splice(pipeReadEnd.intValue(), -1, fd, -1, inPipe);
                    if (n == 0) {
                        return; // the socket's send buffer is full: EPOLLOUT resumes
                    }
                    inPipe -= n;
                    moved += n;
                    tracker.sent(n);
                }
                if (moved >= TURN) {
                    channel.eventLoop().execute(this);
                    return;
                }
                // The pipe is empty, so 0 means the socket has nothing: for now, or for good after the FIN.
                int n = Native.splice(fd, -1, pipeWriteEnd.intValue(), -1, SPLICE_MAX);
                if (n == 0) {
                    if (peerFinished) {
                        channel.close(); // everything echoed: as the copy path after a half-close
                    }
                    return;
                }
                inPipe = n;
                tracker.received(n);
            }
        } catch (IOException e) {
            exceptionCaught(ctx, e);
        }
    }

    /** Any close of the channel (the peer, idle sweep, drain, an error) puts it back on its loop first. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (leaving != null && !leaving.isDone()) {
            leaving.addListener(f -> close(ctx, promise)); // see written()
            return;
        }
        closePipe();
        ChannelFuture back = backOnLoop();
        if (back.isDone()) {
            ctx.close(promise);
        } else {
            back.addListener(f -> ctx.close(promise));
        }
    }

    /** The event loop shuts down with the connection still spliced. */
    @Override
    public void close() {
        closePipe();
        channel.unsafe().closeForcibly();
    }

    /**
     * Cancels this handle and puts the channel back on its event loop if it left it; returns that
     * registration. Netty may complete it a task later (a listener nested deep enough is deferred),
     * and a channel closed while off its loop never reports channelInactive, so what needs the
     * channel registered waits for this future.
     */
    private ChannelFuture backOnLoop() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        if (backOnLoop == null && !channel.isRegistered() && channel.isOpen()) {
            backOnLoop = channel.eventLoop().register(channel);
        }
        return backOnLoop != null ? backOnLoop : channel.newSucceededFuture();
    }

    private void closePipe() {
        inPipe = 0;
        try {
            pipeReadEnd.close();
            pipeWriteEnd.close();
        } catch (IOException ignored) {
            // A pipe end that fails to close has nothing left to lose.
        }
    }
}
