package io.tcpfleet.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MonitoringLabelsTest {

    @Test
    void pairsInOrderWithSpacesAndATrailingCommaForgiven() {
        assertThat(MonitoringLabels.parse(" release=prometheus, example.com/team = tcp ,"))
                .containsExactly(
                        java.util.Map.entry("release", "prometheus"), java.util.Map.entry("example.com/team", "tcp"));
        assertThat(MonitoringLabels.parse("")).isEmpty();
        assertThat(MonitoringLabels.parse("empty=")).containsEntry("empty", "");
    }

    @Test
    void aMalformedSettingIsRefusedNamingTheSettingAndThePair() {
        assertThatThrownBy(() -> MonitoringLabels.parse("release"))
                .hasMessage("tcpfleet.operator.monitoring-labels (env TCPFLEET_OPERATOR_MONITORING_LABELS):"
                        + " \"release\" is not key=value");
        assertThatThrownBy(() -> MonitoringLabels.parse("-bad=x")).hasMessageContaining("\"-bad\" is not a label name");
        assertThatThrownBy(() -> MonitoringLabels.parse("Example.com/team=x"))
                .hasMessageContaining("is not a label name");
        assertThatThrownBy(() -> MonitoringLabels.parse("release=" + "x".repeat(64)))
                .hasMessageContaining("the value of release");
        assertThatThrownBy(() -> MonitoringLabels.parse("release=a b")).hasMessageContaining("the value of release");
        assertThatThrownBy(() -> MonitoringLabels.parse("a=1,a=2")).hasMessageContaining("a is given twice");
    }
}
