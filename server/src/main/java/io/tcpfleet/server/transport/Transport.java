package io.tcpfleet.server.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.logging.Log;
import java.time.Duration;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;

/**
 * Native epoll when the platform has it, NIO otherwise; io_uring only when asked for with
 * {@code -Dtcpfleet.transport=io_uring} (measured in docs/bench/tuning.md; container runtimes' default
 * seccomp profiles refuse it). The channel classes and options that go with each.
 */
public final class Transport {

    private static final Log LOG = Log.get(Transport.class);

    /** Microseconds an epoll event loop polls before it parks; 0 (the default) parks at once. */
    public static final String SPIN_PROPERTY = "tcpfleet.epoll.spinMicros";
    /** {@code epoll} (the default), {@code io_uring} or {@code nio}. */
    public static final String TRANSPORT_PROPERTY = "tcpfleet.transport";

    private enum Kind {
        EPOLL,
        IO_URING,
        NIO
    }

    private final Kind kind;

    private Transport(Kind kind) {
        this.kind = kind;
    }

    /**
     * What {@code -Dtcpfleet.transport} asks for if it is available here, else epoll if it loads,
     * else NIO; logs the choice and why.
     */
    public static Transport detect() {
        String asked = System.getProperty(TRANSPORT_PROPERTY, "epoll");
        switch (asked) {
            case "nio":
                LOG.info("transport selected", "transport", "nio", "why", "-D" + TRANSPORT_PROPERTY + "=nio");
                return new Transport(Kind.NIO);
            case "io_uring":
                if (IoUring.isAvailable()) {
                    LOG.info(
                            "transport selected",
                            "transport",
                            "io_uring",
                            "why",
                            "-D" + TRANSPORT_PROPERTY + "=io_uring");
                    return new Transport(Kind.IO_URING);
                }
                LOG.warn(
                        "io_uring is not available, trying epoll",
                        "why",
                        String.valueOf(IoUring.unavailabilityCause()));
                break;
            case "epoll":
                break;
            default:
                throw new ConfigException("-D" + TRANSPORT_PROPERTY + "=" + asked + " is not epoll, io_uring or nio");
        }
        if (Epoll.isAvailable()) {
            LOG.info("transport selected", "transport", "epoll");
            return new Transport(Kind.EPOLL);
        }
        LOG.info("transport selected", "transport", "nio", "why", String.valueOf(Epoll.unavailabilityCause()));
        return new Transport(Kind.NIO);
    }

    public String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * An event loop group of this transport. With epoll and {@code -Dtcpfleet.epoll.spinMicros=N}
     * (N &gt; 0) each loop polls for N microseconds before it parks in epoll_wait: a request that
     * arrives soon after the last one is picked up without waking a sleeping thread, at the price of
     * up to N microseconds of CPU after each burst. An idle loop still parks. Measured in
     * docs/bench/results.md.
     */
    public EventLoopGroup newGroup(int threads, String threadName) {
        int spinMicros = Integer.getInteger(SPIN_PROPERTY, 0);
        IoHandlerFactory factory = switch (kind) {
            case NIO -> NioIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL ->
                spinMicros > 0
                        ? EpollIoHandler.newFactory(0, () -> new SpinThenPark(spinMicros * 1000L))
                        : EpollIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (kind) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    private Class<? extends SocketChannel> socketChannel() {
        return switch (kind) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** SO_KEEPALIVE with the kernel timers (TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT) on accepted sockets. */
    public void keepalive(ServerBootstrap bootstrap, Duration idle, Duration interval, int count) {
        bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true);
        int idleSeconds = (int) idle.toSeconds();
        int intervalSeconds = (int) interval.toSeconds();
        if (kind == Kind.EPOLL) {
            bootstrap
                    .childOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds)
                    .childOption(EpollChannelOption.TCP_KEEPCNT, count);
        } else if (kind == Kind.IO_URING) {
            bootstrap
                    .childOption(IoUringChannelOption.TCP_KEEPIDLE, idleSeconds)
                    .childOption(IoUringChannelOption.TCP_KEEPINTVL, intervalSeconds)
                    .childOption(IoUringChannelOption.TCP_KEEPCNT, count);
        } else {
            bootstrap
                    .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
                    .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds)
                    .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
        }
    }

    /** A client bootstrap of this transport (the proxy's upstream side). */
    public Bootstrap clientBootstrap() {
        return new Bootstrap().channel(socketChannel());
    }
}
