package io.tcpfleet.server.handler.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyUpstreamBytesTest {

    /** Stands in for the relay: records what reaches it, in order, and releases the bytes. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            seen.add(bytes.readInt());
            bytes.release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            seen.add("readComplete");
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    private static EmbeddedChannel upstream() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(EarlyUpstreamBytes.NAME, new EarlyUpstreamBytes());
        return ch;
    }

    @Test
    void whatCameBeforeTheRelayReachesItInOrderAfterTheReplace() {
        EmbeddedChannel ch = upstream();
        ByteBuf first = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(1);
        ByteBuf second = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(2);
        ch.pipeline().fireChannelRead(first).fireChannelRead(second);
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(first.refCnt()).as("held, not dropped").isEqualTo(1);

        Recorder relay = new Recorder();
        assertThat(EarlyUpstreamBytes.replaceWith(ch, relay)).isTrue();

        assertThat(relay.seen).containsExactly(1, 2, ChannelInputShutdownEvent.INSTANCE, "readComplete");
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(ch.pipeline().get(EarlyUpstreamBytes.NAME)).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void withNothingHeldTheRelaySimplyTakesItsPlace() {
        EmbeddedChannel ch = upstream();
        Recorder relay = new Recorder();
        assertThat(EarlyUpstreamBytes.replaceWith(ch, relay)).isTrue();
        assertThat(relay.seen).isEmpty();
        ByteBuf later = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(3);
        ch.writeInbound(later);
        assertThat(relay.seen).containsExactly(3, "readComplete");
    }

    @Test
    void aConnectionAlreadyTornDownHasNoPlaceForTheRelay() {
        EmbeddedChannel ch = upstream();
        ch.pipeline().remove(EarlyUpstreamBytes.NAME);
        assertThat(EarlyUpstreamBytes.replaceWith(ch, new Recorder())).isFalse();
    }
}
