package io.tcpfleet.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.config.GoDuration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema's duration pattern admits only what the server parses (the operator parses with it too). */
class DurationsTest {

    @Test
    void theServerReadsTheSchemasFormsAsMeant() {
        assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(GoDuration.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("0")).isZero();
        assertThat(GoDuration.parse("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 s", "1.5s", "-1s", "s", "1d", "30s5", "0s0"})
    void refusesWhatTheSchemaRefuses(String text) {
        assertThat(text.matches(Durations.PATTERN)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "250ms", "30s", "5m", "1h30m", "2h0m10s500ms"})
    void theServerParsesWhatTheSchemaAccepts(String text) {
        assertThat(text.matches(Durations.PATTERN)).isTrue();
        assertThat(GoDuration.parse(text).isNegative()).isFalse();
    }

    /** A ServiceMonitor refuses units out of order; the digit bounds keep the largest inside 64-bit nanoseconds. */
    @ParameterizedTest
    @ValueSource(strings = {"", "30s5m", "1s1s", "9999999h", "1.5s", "5"})
    void theScrapeIntervalPatternRefusesWhatAServiceMonitorRefuses(String text) {
        assertThat(text.matches(Durations.ORDERED_PATTERN)).isFalse();
    }

    @Test
    void theLargestScrapeIntervalFitsTheServer() {
        String largest = "999999h9999999m999999999s9999999999ms";
        assertThat(largest.matches(Durations.ORDERED_PATTERN)).isTrue();
        assertThat("1h2m3s4ms".matches(Durations.ORDERED_PATTERN)).isTrue();
        assertThat(GoDuration.parse(largest)).isLessThan(Duration.ofDays(62_500)); // 1.5 million hours
    }

    @ParameterizedTest
    @ValueSource(strings = {"1s", "60s", "1h", "9h6m7s"})
    void theServerParsesWhatTheKeepaliveSchemaAccepts(String text) {
        assertThat(text.matches(Durations.WHOLE_SECONDS_PATTERN)).isTrue();
        assertThat(GoDuration.parse(text).toMillis() % 1000).isZero();
    }
}
