package io.tcpfleet.e2e.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void findsTheMetricsAndNothingElse() {
        assertThat(PromQlNames.of(
                        "histogram_quantile(0.99, sum by (le) (rate(tcpfleet_connection_duration_seconds_bucket"
                                + "{namespace=\"$namespace\", service=~\"$service\"}[$__rate_interval])))"))
                .containsExactly("tcpfleet_connection_duration_seconds_bucket");
        assertThat(
                        PromQlNames.of(
                                "max by (namespace, service, pod) (tcpfleet_connections_active / tcpfleet_connections_max) > 0.9"))
                .containsExactly("tcpfleet_connections_active", "tcpfleet_connections_max");
        assertThat(PromQlNames.of(
                        "sum by (namespace) (kube_tcpfleet_tcpservice_condition{type=\"Ready\"} == 0) or vector(0)"))
                .containsExactly("kube_tcpfleet_tcpservice_condition");
        assertThat(PromQlNames.of("sum without (pod) (rate(a_total[5m] offset 1h)) unless on (job) b"))
                .containsExactly("a_total", "b");
    }
}
