package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LimitsIT {

    @Test
    void refusesConnectionsBeyondMaxAndCountsThem() throws Exception {
        try (TestServer server = TestServer.start("--max-connections", "100", "--idle-timeout", "0")) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    Socket s = Wire.connect(server.address());
                    held.add(s);
                    assertThat(Wire.roundTrip(s, "hello " + i)).isEqualTo("hello " + i);
                }
                try (Socket over = Wire.connect(server.address())) {
                    assertThat(Wire.closedByPeer(over))
                            .as("connection 101 is closed at once")
                            .isTrue();
                }
                assertThat(server.metric("tcpfleet_connections_refused_total{reason=\"limit\"}"))
                        .isEqualTo(1.0);
                server.awaitMetric("tcpfleet_connections_closed_total{reason=\"limit\"}", 1.0);
                assertThat(server.metric("tcpfleet_connections_active")).isEqualTo(100.0);
                assertThat(Wire.roundTrip(held.get(99), "still here")).isEqualTo("still here");

                held.remove(0).close();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> server.server().connections().active() == 99);
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
        try (TestServer server = TestServer.start("--max-connections", "100", "--idle-timeout", "300ms");
                Socket idle = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(idle, "one line")).isEqualTo("one line");
            assertThat(Wire.closedByPeer(idle)).isTrue();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.metric("tcpfleet_connections_closed_total{reason=\"idle\"}") == 1.0);
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"client\"}"))
                    .isZero();
        }
    }

    @Test
    void aConnectionThatKeepsTalkingOutlivesTheIdleTimeout() throws Exception {
        // The scrape at the end must come within a timeout of the last tick, slow as a loaded machine
        // may be, else the quiet-again connection is rightly closed before it.
        try (TestServer server = TestServer.start("--max-connections", "100", "--idle-timeout", "1s");
                Socket busy = Wire.connect(server.address())) {
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int i = 0;
            while (System.nanoTime() < until) {
                assertThat(Wire.roundTrip(busy, "tick " + i)).isEqualTo("tick " + i);
                i++;
            }
            assertThat(Wire.roundTrip(busy, "still here")).isEqualTo("still here");
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"idle\"}"))
                    .isZero();
        }
    }

    @Test
    void quietConnectionsAreClosedWhileTalkingOnesOnTheSameEventLoopsStay() throws Exception {
        // Accepted sockets go round-robin over the event loops: eight quiet, then eight talking,
        // puts quiet and talking connections on every loop (1, 2, 4 or 8 of them).
        Duration timeout = Duration.ofSeconds(1);
        try (TestServer server =
                TestServer.start("--max-connections", "100", "--idle-timeout", timeout.toMillis() + "ms")) {
            List<Socket> quiet = new ArrayList<>();
            List<Socket> talking = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket s = Wire.connect(server.address());
                    assertThat(Wire.roundTrip(s, "hello " + i)).isEqualTo("hello " + i);
                    (i < 8 ? quiet : talking).add(s);
                }
                assertThat(loopsWithBoth(server, quiet, talking))
                        .as("loops holding both kinds")
                        .isNotEmpty();
                for (Socket s : quiet) {
                    s.setSoTimeout(10); // a look, not a wait: the talkers must not fall silent meanwhile
                }
                Set<Socket> closed = new HashSet<>();
                long start = System.nanoTime();
                // Every poll is a round of talk; done once all quiet ones are closed and two timeouts have passed.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> {
                            for (Socket s : talking) {
                                assertThat(Wire.roundTrip(s, "tick")).isEqualTo("tick");
                            }
                            for (Socket s : quiet) {
                                if (!closed.contains(s) && Wire.closedByPeer(s)) {
                                    closed.add(s);
                                }
                            }
                            return closed.size() == quiet.size() && System.nanoTime() - start > 2 * timeout.toNanos();
                        });
                assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"idle\"}"))
                        .isEqualTo(8.0);
                for (Socket s : talking) {
                    assertThat(Wire.roundTrip(s, "still here")).isEqualTo("still here");
                }
            } finally {
                for (Socket s : quiet) {
                    s.close();
                }
                for (Socket s : talking) {
                    s.close();
                }
            }
        }
    }

    /** The server's event loops that hold a connection of both lists (matched by the client's port). */
    private static Set<EventLoop> loopsWithBoth(TestServer server, List<Socket> quiet, List<Socket> talking) {
        Map<Integer, EventLoop> loopByClientPort = new HashMap<>();
        for (Channel ch : server.server().connections().openChannels()) {
            loopByClientPort.put(((InetSocketAddress) ch.remoteAddress()).getPort(), ch.eventLoop());
        }
        Set<EventLoop> quietLoops = new HashSet<>();
        for (Socket s : quiet) {
            quietLoops.add(loopByClientPort.get(s.getLocalPort()));
        }
        Set<EventLoop> both = new HashSet<>();
        for (Socket s : talking) {
            EventLoop loop = loopByClientPort.get(s.getLocalPort());
            if (quietLoops.contains(loop)) {
                both.add(loop);
            }
        }
        return both;
    }
}
