package io.tcpfleet.server.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RebalanceRequestTest {

    @Test
    void readsRoundConnectionsAndRate() {
        assertThat(RebalanceRequest.parse("7:250:50")).isEqualTo(new RebalanceRequest("7", 250, 50));
        assertThat(RebalanceRequest.parse("2026-12-04.1:1:1")).isEqualTo(new RebalanceRequest("2026-12-04.1", 1, 1));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "7",
                "7:250",
                "7:250:50:1",
                "7:-1:50",
                "7:250:fast",
                ":250:50",
                "7 :250:50",
                "7:9999999999:50"
            })
    void refusesWhatIsNotRoundConnectionsRate(String value) {
        assertThatThrownBy(() -> RebalanceRequest.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not <round>:<connections>:<ratePerSecond>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7:0:50", "7:250:0"})
    void refusesZeroConnectionsOrRate(String value) {
        assertThatThrownBy(() -> RebalanceRequest.parse(value)).hasMessageContaining("must be at least 1");
    }
}
