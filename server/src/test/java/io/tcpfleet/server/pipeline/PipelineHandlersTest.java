package io.tcpfleet.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.handler.EchoHandler;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineHandlersTest {

    private final ServerMetrics metrics = new ServerMetrics(PooledByteBufAllocator.DEFAULT);
    private final ConnectionRegistry registry = new ConnectionRegistry(10, Duration.ZERO);

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @Test
    void terminalHandlerReleasesWhatNobodyConsumed() {
        EmbeddedChannel ch = new EmbeddedChannel(TerminalHandler.INSTANCE);
        ByteBuf orphan = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(7);
        ch.writeInbound(orphan);
        assertThat(orphan.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void terminalHandlerClosesAfterAHalfCloseOnceEverythingIsFlushed() {
        ChannelInboundHandlerAdapter writesWithoutFlush = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.write(msg);
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(writesWithoutFlush, TerminalHandler.INSTANCE);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(1);
        ch.pipeline().fireChannelRead(in);
        assertThat((Object) ch.readOutbound()).as("written, not flushed yet").isNull();
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
        ByteBuf echoed = ch.readOutbound();
        assertThat(echoed.readInt()).isEqualTo(1);
        echoed.release();
        assertThat(in.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void terminalHandlerClosesOnAnErrorAndRecordsIt() {
        EmbeddedChannel ch = tracked(TerminalHandler.INSTANCE);
        ch.pipeline().fireExceptionCaught(new IllegalStateException("handler bug"));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.closed(CloseReason.error).count()).isEqualTo(1.0);
        assertThat(registry.active()).isZero();
    }

    @Test
    void backpressureStopsReadingWhileNotWritable() {
        EmbeddedChannel ch = new EmbeddedChannel(AutoReadBackpressure.INSTANCE);
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(4, 8));
        ch.write(PooledByteBufAllocator.DEFAULT.directBuffer().writeLong(1).writeLong(2));
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.flush();
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead()).isTrue();
        ByteBuf out = ch.readOutbound();
        out.release();
        assertThat(out.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void trackerCountsBytesBothWaysAndTheCloseReason() {
        EmbeddedChannel ch = tracked(EchoHandler.INSTANCE, TerminalHandler.INSTANCE);
        ch.writeInbound(PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(new byte[100]));
        ByteBuf out = ch.readOutbound();
        out.release();
        assertThat(metrics.bytesReceived().count()).isEqualTo(100.0);
        assertThat(metrics.bytesSent().count()).isEqualTo(100.0);
        ConnectionTracker.close(ch, CloseReason.idle);
        ConnectionTracker.close(ch, CloseReason.forced);
        ch.runPendingTasks();
        assertThat(metrics.closed(CloseReason.idle).count())
                .as("first reason wins")
                .isEqualTo(1.0);
        assertThat(metrics.closed(CloseReason.forced).count()).isZero();
        assertThat(metrics.connectionDuration().count()).isEqualTo(1);
        assertThat(registry.active()).isZero();
        assertThat(registry.closedTotal()).isEqualTo(1);
    }

    private EmbeddedChannel tracked(io.netty.channel.ChannelHandler... handlers) {
        EmbeddedChannel ch = new EmbeddedChannel();
        assertThat(registry.tryAdmit(ch)).isEqualTo(ConnectionRegistry.Admission.ADMITTED);
        ch.pipeline().addLast(new ConnectionTracker(metrics, registry));
        ch.pipeline().addLast(handlers);
        return ch;
    }
}
