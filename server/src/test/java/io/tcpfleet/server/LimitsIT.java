package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LimitsIT {

    @Test
    void refusesConnectionsBeyondMaxAndCountsThem() throws Exception {
        try (TestServer server = TestServer.start(ServerConfig.defaults().withLimits(100, Duration.ZERO))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    Socket s = Wire.connect(server.address());
                    held.add(s);
                    assertThat(Wire.roundTrip(s, "hello " + i)).isEqualTo("hello " + i);
                }
                try (Socket over = Wire.connect(server.address())) {
                    assertThat(Wire.closedByPeer(over)).as("connection 101 is closed at once").isTrue();
                }
                assertThat(server.metric("tcpfleet_connections_refused_total{reason=\"limit\"}")).isEqualTo(1.0);
                assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"limit\"}")).isEqualTo(1.0);
                assertThat(server.metric("tcpfleet_connections_active")).isEqualTo(100.0);
                assertThat(Wire.roundTrip(held.get(99), "still here")).isEqualTo("still here");

                held.remove(0).close();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().connections().active() == 99);
                try (Socket again = Wire.connect(server.address())) {
                    assertThat(Wire.roundTrip(again, "room again")).isEqualTo("room again");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void closesAConnectionThatSendsNothingForTheIdleTimeout() throws Exception {
        try (TestServer server = TestServer.start(ServerConfig.defaults().withLimits(100, Duration.ofMillis(300)));
             Socket idle = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(idle, "one line")).isEqualTo("one line");
            assertThat(Wire.closedByPeer(idle)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.metric("tcpfleet_connections_closed_total{reason=\"idle\"}") == 1.0);
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"client\"}")).isZero();
        }
    }

    @Test
    void aConnectionThatKeepsTalkingOutlivesTheIdleTimeout() throws Exception {
        try (TestServer server = TestServer.start(ServerConfig.defaults().withLimits(100, Duration.ofMillis(500)));
             Socket busy = Wire.connect(server.address())) {
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            int i = 0;
            while (System.nanoTime() < until) {
                assertThat(Wire.roundTrip(busy, "tick " + i)).isEqualTo("tick " + i);
                i++;
            }
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"idle\"}")).isZero();
        }
    }
}
