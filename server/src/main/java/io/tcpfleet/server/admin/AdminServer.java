package io.tcpfleet.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.tcpfleet.server.debug.JfrProfiler;
import io.tcpfleet.server.drain.DrainCoordinator;
import io.tcpfleet.server.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The admin HTTP listener, on its own one-thread event loop so a busy data plane cannot starve the
 * probes, and small limits so a bad client cannot make it hold much memory.
 */
public final class AdminServer implements AutoCloseable {

    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_BODY = 16 * 1024;
    /** Pipeline name of the read timeout, which a profile request removes while it records. */
    static final String READ_TIMEOUT = "timeout";

    static final Duration DRAIN_CALLER_WAIT = Duration.ofSeconds(2);

    private final EventLoopGroup group;
    private final Channel channel;
    private final JfrProfiler profiler = JfrProfiler.inTempDir();
    private final ChannelGroup drainCallers;

    public AdminServer(
            Transport transport,
            ByteBufAllocator allocator,
            String bind,
            int port,
            Supplier<String> scrape,
            BooleanSupplier ready,
            Consumer<Consumer<Boolean>> liveness,
            DrainCoordinator drain)
            throws InterruptedException {
        group = transport.newGroup(1, "tcpfleet-admin");
        drainCallers = new DefaultChannelGroup(group.next());
        AdminHandler handler = new AdminHandler(scrape, ready, liveness, drain, drainCallers);
        DebugHandler debug = new DebugHandler(profiler);
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, allocator)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(READ_TIMEOUT, new ReadTimeoutHandler(30))
                                    .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192))
                                    .addLast("aggregator", new HttpObjectAggregator(MAX_BODY))
                                    .addLast("debug", debug)
                                    .addLast("admin", handler);
                        }
                    })
                    .bind(bind, port)
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            profiler.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Closes the listener once every caller that got a drain's answer has closed its connection (at
     * most {@link #DRAIN_CALLER_WAIT}): in a container, the server's exit ends the preStop command,
     * which would then fail (exit 137, a FailedPreStopHook Event) instead of exiting 0.
     */
    @Override
    public void close() {
        drainCallers.newCloseFuture().awaitUninterruptibly(DRAIN_CALLER_WAIT.toMillis());
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        profiler.close();
    }
}
