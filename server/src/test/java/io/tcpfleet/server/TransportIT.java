package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.config.ConfigLoader;
import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import io.tcpfleet.server.transport.Transport;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Every transport serves, and accepted sockets carry the configured keepalive, watermarks and half-close. */
class TransportIT {

    private static final ServerConfig CONFIG = new ServerConfig(
            "echo",
            "127.0.0.1",
            0,
            "127.0.0.1",
            0,
            100,
            Duration.ZERO,
            Duration.ofSeconds(7),
            Duration.ofSeconds(3),
            4,
            Duration.ZERO,
            Duration.ZERO,
            null,
            Duration.ofSeconds(2),
            5,
            Duration.ofSeconds(5),
            io.tcpfleet.server.config.LogLevel.info,
            null,
            128,
            2,
            16 * 1024,
            48 * 1024,
            16,
            1024);

    @Test
    void epollIsUsedWhereItIsAvailable() {
        assertThat(Transport.detect().name()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void byDefaultThereIsOneEventLoopPerCpu() throws Exception {
        ServerConfig defaults = ConfigLoader.parse(new String[0], Map.of()).config();
        assertThat(defaults.workerThreads()).isZero();
        try (TestServer server = TestServer.start(defaults)) {
            assertThat(server.server().eventLoops())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        }
        try (TestServer server = TestServer.start(CONFIG)) {
            assertThat(server.server().eventLoops()).isEqualTo(2);
        }
    }

    @Test
    void epollSocketsCarryTheKeepaliveTimers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        try (TestServer server = TestServer.start(CONFIG, Transport.detect())) {
            Channel accepted = acceptOne(server);
            assertThat(accepted).isInstanceOf(EpollSocketChannel.class);
            assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(accepted.config().getOption(EpollChannelOption.TCP_KEEPIDLE))
                    .isEqualTo(7);
            assertThat(accepted.config().getOption(EpollChannelOption.TCP_KEEPINTVL))
                    .isEqualTo(3);
            assertThat(accepted.config().getOption(EpollChannelOption.TCP_KEEPCNT))
                    .isEqualTo(4);
            assertCommonOptions(accepted);
        }
    }

    @Test
    void nioServesTooWithTheSameOptions() throws Exception {
        try (TestServer server = TestServer.start(CONFIG, Transport.nio())) {
            Channel accepted = acceptOne(server);
            assertThat(accepted.getClass().getSimpleName()).isEqualTo("NioSocketChannel");
            assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(accepted.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)))
                    .isEqualTo(7);
            assertThat(accepted.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)))
                    .isEqualTo(3);
            assertThat(accepted.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)))
                    .isEqualTo(4);
            assertCommonOptions(accepted);
        }
    }

    @Test
    void ioUringServesTooWithTheSameOptionsWhereTheKernelAllowsIt() throws Exception {
        Transport ioUring = Transport.ioUring().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(ioUring != null, "io_uring is not available here");
        try (TestServer server = TestServer.start(CONFIG, ioUring)) {
            Channel accepted = acceptOne(server);
            assertThat(accepted).isInstanceOf(IoUringSocketChannel.class);
            assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(accepted.config().getOption(IoUringChannelOption.TCP_KEEPIDLE))
                    .isEqualTo(7);
            assertThat(accepted.config().getOption(IoUringChannelOption.TCP_KEEPINTVL))
                    .isEqualTo(3);
            assertThat(accepted.config().getOption(IoUringChannelOption.TCP_KEEPCNT))
                    .isEqualTo(4);
            assertCommonOptions(accepted);
        }
    }

    @Test
    void anUnknownTransportIsRefusedByName() {
        System.setProperty(Transport.TRANSPORT_PROPERTY, "kqueue");
        try {
            assertThatThrownBy(Transport::detect)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("-Dtcpfleet.transport=kqueue is not epoll, io_uring or nio");
        } finally {
            System.clearProperty(Transport.TRANSPORT_PROPERTY);
        }
    }

    private static Channel acceptOne(TestServer server) throws Exception {
        Socket client = Wire.connect(server.address());
        assertThat(Wire.roundTrip(client, "hi")).isEqualTo("hi");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.server().connections().active() == 1);
        Channel accepted = server.server().connections().openChannels().get(0);
        accepted.closeFuture().addListener(f -> client.close());
        return accepted;
    }

    private static void assertCommonOptions(Channel accepted) {
        assertThat(accepted.config().getWriteBufferLowWaterMark()).isEqualTo(16 * 1024);
        assertThat(accepted.config().getWriteBufferHighWaterMark()).isEqualTo(48 * 1024);
        assertThat(accepted.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE))
                .isTrue();
        assertThat(accepted.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
        assertThat(accepted.config().getAllocator()).isSameAs(io.netty.buffer.PooledByteBufAllocator.DEFAULT);
        accepted.close();
    }
}
