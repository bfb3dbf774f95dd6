package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpfleet.operator.api.v1alpha1.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationsTest {

    @Test
    void parsesTheGoForms() {
        assertThat(GoDurations.parse("f", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDurations.parse("f", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(GoDurations.parse("f", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(GoDurations.parse("f", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurations.parse("f", "0")).isZero();
        assertThat(GoDurations.parse("f", "0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 s", "1.5s", "-1s", "s", "1d", "30s5"})
    void refusesWhatTheSchemaRefuses(String text) {
        assertThat(text.matches(Durations.PATTERN)).isFalse();
        assertThatThrownBy(() -> GoDurations.parse("spec.drain.timeout", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spec.drain.timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "250ms", "30s", "5m", "1h30m", "2h0m10s500ms"})
    void acceptsWhatTheSchemaAccepts(String text) {
        assertThat(text.matches(Durations.PATTERN)).isTrue();
        assertThat(GoDurations.parse("f", text).isNegative()).isFalse();
    }
}
