package io.tcpfleet.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoHandlerTest {

    @Test
    void writesTheSameBytesBackAndReleasesNothingItDoesNotOwn() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(ch.writeInbound(in)).isFalse();
        ByteBuf out = ch.readOutbound();
        assertThat(out).isSameAs(in).as("echoed without a copy");
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
        assertThat(ch.outboundMessages()).as("nothing flushed before read complete").isEmpty();
        ch.pipeline().fireChannelReadComplete();
        for (int i = 0; i < sent.length; i++) {
            ByteBuf out = ch.readOutbound();
            assertThat(out.readInt()).isEqualTo(i);
            out.release();
            assertThat(sent[i].refCnt()).isZero();
        }
        assertThat(ch.finish()).isFalse();
    }
}
