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
    /** Past the drain's idle threshold (no byte for 1 s), which no metric exposes to wait on: time has to pass. */
    private static final long PAST_IDLE_MILLIS = 1_200;

    @Test
    void aPacedDrainClosesConnectionsNoFasterThanItsRate() throws Exception {
        try (TestServer server =
                        TestServer.start("--drain-delay", "0", "--drain-timeout", "10s", "--drain-close-rate", "50");
                CloseWatch watch = CloseWatch.open(server.address(), CONNECTIONS)) {
            Thread.sleep(PAST_IDLE_MILLIS); // every connection idle for the drain
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
    void busyConnectionsThatGoIdleTogetherAreStillClosedAtTheRate() throws Exception {
        int connections = 100;
        int rate = 20;
        try (TestServer server = TestServer.start(
                        "--drain-delay", "0", "--drain-timeout", "20s", "--drain-close-rate", String.valueOf(rate));
                CloseWatch watch = CloseWatch.open(server.address(), connections)) {
            Thread.sleep(PAST_IDLE_MILLIS);
            CompletableFuture<DrainResult> drain = server.server().drain().start("test");
            // Every other connection stays busy for the drain's first 2 s, then they all go quiet at
            // once: a second later they are idle together, and must not be closed together.
            long quietAt = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < quietAt) {
                for (int i = 1; i < connections; i += 2) {
                    watch.poke(i);
                }
                Thread.sleep(300); // a byte well within every idle second
            }
            watch.awaitAllClosed(Duration.ofSeconds(30));

            // 20 slots a second; a late wake-up may catch up a poll's worth (50 ms, one slot).
            assertThat(watch.mostClosesInOneSecond()).isLessThanOrEqualTo(rate + rate / 4);
            assertThat(drain).succeedsWithin(Duration.ofSeconds(30));
            assertThat(drain.get().closed()).isEqualTo(connections);
            assertThat(drain.get().forced()).isZero();
        }
    }

    @Test
    void rateZeroClosesThemAllAtOnceAsBefore() throws Exception {
        try (TestServer server = TestServer.start("--drain-delay", "0", "--drain-timeout", "10s");
                CloseWatch watch = CloseWatch.open(server.address(), CONNECTIONS)) {
            Thread.sleep(PAST_IDLE_MILLIS);
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
