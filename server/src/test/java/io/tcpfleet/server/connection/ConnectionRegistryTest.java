package io.tcpfleet.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {

    private final ServerMetrics metrics = new ServerMetrics(PooledByteBufAllocator.DEFAULT);
    private final ConnectionRegistry registry = new ConnectionRegistry(3, Duration.ZERO);

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @Test
    void knowsTheOpenConnectionsUntilTheyCloseAndRefusesBeyondMax() {
        List<EmbeddedChannel> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(tracked());
        }
        assertThat(registry.tryAdmit(new EmbeddedChannel())).isEqualTo(ConnectionRegistry.Admission.OVER_LIMIT);
        assertThat(registry.openChannels()).containsExactlyInAnyOrderElementsOf(open);

        open.get(1).close();
        assertThat(registry.openChannels()).containsExactlyInAnyOrder(open.get(0), open.get(2));
        open.get(0).close();
        open.get(2).close();
        assertThat(registry.openChannels()).isEmpty();
        assertThat(registry.active()).isZero();
        assertThat(registry.closedTotal()).isEqualTo(3);
        assertThat(registry.tryAdmit(new EmbeddedChannel())).isEqualTo(ConnectionRegistry.Admission.ADMITTED);
    }

    @Test
    void refusesEverythingOnceTheDrainSaysSo() {
        Channel kept = tracked();
        registry.refuseNew();
        assertThat(registry.tryAdmit(new EmbeddedChannel())).isEqualTo(ConnectionRegistry.Admission.DRAINING);
        assertThat(registry.openChannels()).containsExactly(kept);
    }

    private EmbeddedChannel tracked() {
        EmbeddedChannel ch = new EmbeddedChannel();
        assertThat(registry.tryAdmit(ch)).isEqualTo(ConnectionRegistry.Admission.ADMITTED);
        ch.pipeline().addLast(new ConnectionTracker(metrics, registry));
        return ch;
    }
}
