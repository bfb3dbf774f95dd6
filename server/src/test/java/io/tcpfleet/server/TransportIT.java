package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Transports;
import io.tcpfleet.server.testing.Wire;
import io.tcpfleet.server.transport.Transport;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.net.ExtendedSocketOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Every transport serves, and accepted sockets carry the configured keepalive, watermarks and half-close. */
class TransportIT {

    /** Non-default settings, to see they reach the sockets. */
    private static final String[] FLAGS = {
        "--max-connections", "100",
        "--idle-timeout", "0",
        "--keepalive-idle", "7s",
        "--keepalive-interval", "3s",
        "--keepalive-count", "4",
        "--drain-delay", "0",
        "--drain-timeout", "0",
        "--backlog", "128",
        "--worker-threads", "2",
        "--write-buffer-low", "16384",
        "--write-buffer-high", "49152"
    };

    @Test
    void epollIsUsedWhereItIsAvailable() {
        assertThat(Transport.detect().name()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void byDefaultThereIsOneEventLoopPerCpu() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        try (TestServer server = TestServer.start()) {
            assertThat(eventLoopsServing(server, 2 * cpus)).isEqualTo(cpus);
        }
        try (TestServer server = TestServer.start(FLAGS)) {
            assertThat(eventLoopsServing(server, 4)).isEqualTo(2);
        }
    }

    /**
     * How many event loops serve {@code clients} connections: accepted sockets go round-robin over
     * the loops, so with at least twice as many connections as loops every loop shows up.
     */
    private static long eventLoopsServing(TestServer server, int clients) throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                open.add(Wire.connect(server.address()));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.server().connections().active() == clients);
            return server.server().connections().openChannels().stream()
                    .map(Channel::eventLoop)
                    .distinct()
                    .count();
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void epollSocketsCarryTheKeepaliveTimers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        try (TestServer server = TestServer.start(Transport.detect(), FLAGS)) {
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
        try (TestServer server = TestServer.start(Transports.asked("nio"), FLAGS)) {
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
        org.junit.jupiter.api.Assumptions.assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        try (TestServer server = TestServer.start(Transports.asked("io_uring"), FLAGS)) {
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
        assertThatThrownBy(() -> Transports.asked("kqueue"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("-Dtcpfleet.transport=kqueue is not epoll, io_uring or nio");
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
