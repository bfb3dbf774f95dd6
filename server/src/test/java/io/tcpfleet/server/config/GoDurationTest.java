package io.tcpfleet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "0s, 0",
        "250ms, 250000000",
        "30s, 30000000000",
        "5m, 300000000000",
        "1h30m, 5400000000000",
        "1.5s, 1500000000",
        "2h45m30.5s, 9930500000000",
        "100ns, 100",
        "10us, 10000",
        "10µs, 10000",
        ".5s, 500000000",
        "1m0s, 60000000000",
    })
    void parsesTheGoForm(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "5", "10x", "s", "-5s", "+5s", "1.2.3s", "5 s", "1d", "ms", "1h-5m", ".s", "9999999999h"})
    void refusesWhatGoWouldRefuseOrWeDoNotAllow(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
