package io.tcpfleet.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoHandlerTest {

    @Test
    void writesTheSameBytesBackAndReleasesNothingItDoesNotOwn() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ByteBuf in =
                PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(ch.writeInbound(in)).isFalse();
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("echoed without a copy").isSameAs(in);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(out.release()).isTrue();
        assertThat(in.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void echoesManyMessagesInOrderFlushingPerBatch() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ByteBuf[] sent = new ByteBuf[10];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = PooledByteBufAllocator.DEFAULT.heapBuffer().writeInt(i);
            ch.pipeline().fireChannelRead(sent[i]);
        }
        assertThat(ch.outboundMessages())
                .as("nothing flushed before read complete")
                .isEmpty();
        ch.pipeline().fireChannelReadComplete();
        for (int i = 0; i < sent.length; i++) {
            ByteBuf out = ch.readOutbound();
            assertThat(out.readInt()).isEqualTo(i);
            out.release();
            assertThat(sent[i].refCnt()).isZero();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void stopsReadingWhileTheClientDoesNotTakeTheEchoAndResumesWhenItDoes() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4, 8));
        ch.pipeline()
                .fireChannelRead(PooledByteBufAllocator.DEFAULT
                        .directBuffer()
                        .writeLong(1)
                        .writeLong(2));
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).as("above the high water mark").isFalse();
        ch.pipeline().fireChannelReadComplete();
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead())
                .as("flushed below the low water mark")
                .isTrue();
        ByteBuf out = ch.readOutbound();
        out.release();
        assertThat(out.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void isTheLastHandlerItselfAndClosesAfterAHalfCloseOnceTheEchoIsOut() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(1);
        ch.pipeline().fireChannelRead(in);
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
        ByteBuf echoed = ch.readOutbound();
        assertThat(echoed.readInt()).isEqualTo(1);
        echoed.release();
        assertThat(in.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void closesOnAnErrorNobodyHandled() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ch.pipeline().fireExceptionCaught(new IllegalStateException("bug"));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
}
