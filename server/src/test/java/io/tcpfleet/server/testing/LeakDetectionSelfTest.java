package io.tcpfleet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves the leak check can fail: a buffer dropped without release must be reported. */
class LeakDetectionSelfTest {

    @Test
    void reportsABufferThatWasNeverReleased() {
        leakOne();
        assertThat(LeakCheckExtension.collectLeaks())
                .anySatisfy(leak -> assertThat(leak).contains("ByteBuf"));
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
    }
}
