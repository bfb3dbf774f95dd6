package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.drain.DrainResult;
import io.tcpfleet.server.testing.CloseWatch;
import io.tcpfleet.server.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PacedDrainIT {

    private static final int CONNECTIONS = 200;

    @Test
    void aPacedDrainClosesConnectionsNoFasterThanItsRate() throws Exception {
        try (TestServer server =
                        TestServer.start("--drain-delay", "0", "--drain-timeout", "10s", "--drain-close-rate", "50");
                CloseWatch watch = CloseWatch.open(server.address(), CONNECTIONS)) {
            Thread.sleep(1_200); // every connection idle for the drain (a second without a byte)
            CompletableFuture<DrainResult> drain = server.server().drain().start("test");
            watch.awaitAllClosed(Duration.ofSeconds(30));

            // 200 slots 1/50 s apart: 199 gaps, 3.98 s from the first close to the last.
            assertThat(watch.spreadSeconds()).isGreaterThanOrEqualTo(3.5);
            assertThat(drain).succeedsWithin(Duration.ofSeconds(30));
            assertThat(drain.get().closed()).isEqualTo(CONNECTIONS);
            assertThat(drain.get().forced()).isZero();
            assertThat(server.metric("tcpfleet_connections_closed_total{reason=\"drain\"}"))
                    .isEqualTo(CONNECTIONS);
        }
    }

    @Test
    void rateZeroClosesThemAllAtOnceAsBefore() throws Exception {
        try (TestServer server = TestServer.start("--drain-delay", "0", "--drain-timeout", "10s");
                CloseWatch watch = CloseWatch.open(server.address(), CONNECTIONS)) {
            Thread.sleep(1_200);
            CompletableFuture<DrainResult> drain = server.server().drain().start("test");
            watch.awaitAllClosed(Duration.ofSeconds(30));

            // The contrast to the paced drain above: its lower bound, not a time budget.
            assertThat(watch.spreadSeconds()).isLessThan(3.5);
            assertThat(drain).succeedsWithin(Duration.ofSeconds(30));
            assertThat(drain.get().closed()).isEqualTo(CONNECTIONS);
            assertThat(drain.get().forced()).isZero();
        }
    }
}
