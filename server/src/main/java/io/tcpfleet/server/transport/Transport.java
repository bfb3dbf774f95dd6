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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tcpfleet.server.logging.Log;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/** Native epoll when the platform has it, NIO otherwise; the channel classes and options that go with each. */
public final class Transport {

    private static final Log LOG = Log.get(Transport.class);

    /** Microseconds an epoll event loop polls before it parks; 0 (the default) parks at once. */
    public static final String SPIN_PROPERTY = "tcpfleet.epoll.spinMicros";

    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll if it loads here (and {@code -Dtcpfleet.transport=nio} does not ask otherwise); logs the choice. */
    public static Transport detect() {
        if ("nio".equals(System.getProperty("tcpfleet.transport"))) {
            LOG.info("transport selected", "transport", "nio", "why", "-Dtcpfleet.transport=nio");
            return new Transport(false);
        }
        if (Epoll.isAvailable()) {
            LOG.info("transport selected", "transport", "epoll");
            return new Transport(true);
        }
        LOG.info("transport selected", "transport", "nio", "why", String.valueOf(Epoll.unavailabilityCause()));
        return new Transport(false);
    }

    public static Transport nio() {
        return new Transport(false);
    }

    public String name() {
        return epoll ? "epoll" : "nio";
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
        IoHandlerFactory factory = !epoll ? NioIoHandler.newFactory()
                : spinMicros > 0 ? EpollIoHandler.newFactory(0, () -> new SpinThenPark(spinMicros * 1000L))
                : EpollIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** SO_KEEPALIVE with the kernel timers (TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT) on accepted sockets. */
    public void keepalive(ServerBootstrap bootstrap, Duration idle, Duration interval, int count) {
        bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true);
        int idleSeconds = (int) idle.getSeconds();
        int intervalSeconds = (int) interval.getSeconds();
        if (epoll) {
            bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds)
                    .childOption(EpollChannelOption.TCP_KEEPCNT, count);
        } else {
            bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
                    .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds)
                    .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
        }
    }

    /** A client bootstrap of this transport (the proxy's upstream side). */
    public Bootstrap clientBootstrap() {
        return new Bootstrap().channel(socketChannel());
    }
}
