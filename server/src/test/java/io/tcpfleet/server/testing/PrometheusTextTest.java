package io.tcpfleet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The grammar check itself must be able to fail. */
class PrometheusTextTest {

    @Test
    void readsFamiliesWithLabelsAndSuffixes() {
        String text = """
                # HELP a_total things
                # TYPE a_total counter
                a_total{reason="x"} 3.0
                # TYPE d_seconds histogram
                d_seconds_bucket{le="+Inf"} 1
                d_seconds_count 1
                d_seconds_sum 0.5
                """;
        assertThat(PrometheusText.parse(text))
                .containsEntry("a_total{reason=\"x\"}", 3.0)
                .containsEntry("d_seconds_count", 1.0);
    }

    @Test
    void refusesWhatIsNotTheFormat() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1")).hasMessageContaining("newline");
        assertThatThrownBy(() -> PrometheusText.parse("b 1\n")).hasMessageContaining("undeclared");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=1} 1\n"))
                .hasMessageContaining("not Prometheus");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na one\n"))
                .hasMessageContaining("not Prometheus");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\na 2\n"))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE 1a gauge\n")).hasMessageContaining("not Prometheus");
    }
}
