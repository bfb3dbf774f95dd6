package io.tcpfleet.server.handler.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class RelayTest {

    /** Counts the reads a handler asks for (they travel outbound, towards the socket). */
    static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int reads;

        @Override
        public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }
    }

    @Test
    void relaysToThePeerAndAsksForMoreOnlyWhileThePeerIsWritable() {
        EmbeddedChannel backend = new EmbeddedChannel();
        backend.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
        ReadCounter frontReads = new ReadCounter();
        EmbeddedChannel front = new EmbeddedChannel(frontReads, new Relay(backend));
        front.config().setAutoRead(false);
        int before = frontReads.reads;

        ByteBuf small = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(1);
        front.writeInbound(small);
        ByteBuf relayed = backend.readOutbound();
        assertThat(relayed).isSameAs(small);
        relayed.release();
        assertThat(small.refCnt()).isZero();
        assertThat(frontReads.reads).as("peer writable: read the next chunk").isEqualTo(before + 1);

        // A backend that cannot flush (its socket is full): stays above the high mark, so no more reads.
        backend.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // swallowed: nothing leaves
            }
        });
        ByteBuf big = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(new byte[64]);
        front.writeInbound(big);
        assertThat(backend.isWritable()).isFalse();
        assertThat(frontReads.reads).as("peer above its high mark: no read").isEqualTo(before + 1);

        backend.pipeline().removeFirst();
        backend.flush();
        assertThat(backend.isWritable()).isTrue();
        ByteBuf late = backend.readOutbound();
        assertThat(late).isSameAs(big);
        late.release();
        assertThat(big.refCnt()).isZero();
        assertThat(backend.finish()).isFalse();
        assertThat(front.finish()).isFalse();
    }

    @Test
    void dataForAClosedPeerIsReleased() {
        EmbeddedChannel backend = new EmbeddedChannel();
        backend.close();
        EmbeddedChannel front = new EmbeddedChannel(new Relay(backend));
        ByteBuf msg = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(3);
        front.writeInbound(msg);
        assertThat(msg.refCnt()).isZero();
        front.finishAndReleaseAll();
    }

    @Test
    void closingOneSideClosesTheOtherAfterFlushing() {
        EmbeddedChannel backend = new EmbeddedChannel();
        EmbeddedChannel front = new EmbeddedChannel(new Relay(backend));
        front.close();
        assertThat(backend.isOpen()).isFalse();
        backend.finishAndReleaseAll();
    }
}
