package io.tcpfleet.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ConnectionAgeTest {

    private static LongSummaryStatistics draws(int jitterPercent) {
        ConnectionAge age = new ConnectionAge(
                Duration.ofSeconds(100), jitterPercent, Duration.ofSeconds(30), new GoAway(open -> {}), Runnable::run);
        return LongStream.range(0, 10_000).map(i -> age.drawAgeNanos()).summaryStatistics();
    }

    @Test
    void agesAreDrawnAcrossTheWholeJitterAndNeverBeyond() {
        LongSummaryStatistics ages = draws(10);
        assertThat(ages.getMin()).isGreaterThanOrEqualTo(Duration.ofSeconds(90).toNanos());
        assertThat(ages.getMax()).isLessThanOrEqualTo(Duration.ofSeconds(110).toNanos());
        // 10,000 uniform draws: the extremes come within half a second of the bounds.
        assertThat(ages.getMin()).isLessThan(Duration.ofMillis(90_500).toNanos());
        assertThat(ages.getMax()).isGreaterThan(Duration.ofMillis(109_500).toNanos());
        assertThat(ages.getAverage()).isBetween(99e9, 101e9);
    }

    @Test
    void withoutJitterEveryConnectionGetsTheAge() {
        LongSummaryStatistics ages = draws(0);
        assertThat(ages.getMin())
                .isEqualTo(ages.getMax())
                .isEqualTo(Duration.ofSeconds(100).toNanos());
    }
}
