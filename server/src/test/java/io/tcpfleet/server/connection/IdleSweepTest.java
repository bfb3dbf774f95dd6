package io.tcpfleet.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import io.tcpfleet.server.pipeline.TerminalHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep on an embedded event loop whose clock the test moves. */
class IdleSweepTest {

    private final ServerMetrics metrics = new ServerMetrics(PooledByteBufAllocator.DEFAULT);
    private final ConnectionRegistry registry = new ConnectionRegistry(10, Duration.ofSeconds(10));

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @Test
    void closesAConnectionThatReadNothingForTheTimeoutAndRecordsIdle() {
        EmbeddedChannel ch = tracked();
        advance(ch, 9_999);
        assertThat(ch.isOpen()).as("open until the timeout has passed").isTrue();
        advance(ch, 1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.closed(CloseReason.idle).count()).isEqualTo(1.0);
        assertThat(registry.active()).isZero();
    }

    @Test
    void aReadStartsTheTimeoutAgainButAWriteDoesNot() {
        EmbeddedChannel ch = tracked();
        advance(ch, 8_000);
        ch.writeInbound(PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(1));
        advance(ch, 8_000);
        assertThat(ch.isOpen()).as("8 s after the last read").isTrue();
        ch.writeOutbound(PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(2));
        advance(ch, 1_999);
        assertThat(ch.isOpen()).as("a write is no sign of life from the client").isTrue();
        advance(ch, 1_000); // the sweep may come up to a tenth of the timeout after the deadline
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.closed(CloseReason.idle).count()).isEqualTo(1.0);
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionTheClientClosedIsNotSweptAgain() {
        EmbeddedChannel ch = tracked();
        advance(ch, 5_000);
        ch.close();
        advance(ch, 20_000);
        assertThat(metrics.closed(CloseReason.client).count()).isEqualTo(1.0);
        assertThat(metrics.closed(CloseReason.idle).count()).isZero();
        assertThat(registry.closedTotal()).isEqualTo(1);
    }

    private EmbeddedChannel tracked() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        assertThat(registry.tryAdmit(ch)).isEqualTo(ConnectionRegistry.Admission.ADMITTED);
        ch.pipeline().addLast(new ConnectionTracker(metrics, registry), TerminalHandler.INSTANCE);
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }
}
