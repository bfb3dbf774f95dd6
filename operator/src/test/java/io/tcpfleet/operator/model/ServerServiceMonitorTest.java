package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.tcpfleet.operator.api.v1alpha1.Monitoring;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerServiceMonitorTest {

    @Test
    void scrapesOnlyTheMetricsServiceAtTheConfiguredInterval() {
        TcpService tcps = TestTcpServices.named("echo");
        Monitoring m = new Monitoring();
        m.setInterval("15s");
        m.setLabels(Map.of("release", "prom"));
        tcps.getSpec().setMonitoring(m);
        ServiceMonitor sm = ServerServiceMonitor.build(tcps);
        assertThat(sm.getMetadata().getName()).isEqualTo("echo");
        assertThat(sm.getMetadata().getLabels())
                .containsEntry("release", "prom")
                .containsEntry("tcpfleet.io/service", "echo");
        assertThat(sm.getSpec().getSelector().getMatchLabels())
                .isEqualTo(ServerServices.metricsLabels(tcps).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("tcpfleet.io/"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(sm.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPort()).isEqualTo("metrics");
            assertThat(e.getPath()).isEqualTo("/metrics");
            assertThat(e.getInterval()).isEqualTo("15s");
        });
    }

    @Test
    void operatorWideLabelsComeFirstAndTheTcpServicesWin() {
        TcpService tcps = TestTcpServices.named("echo");
        Monitoring m = new Monitoring();
        m.setLabels(Map.of("team", "edge"));
        tcps.getSpec().setMonitoring(m);
        ServiceMonitor sm = ServerServiceMonitor.build(
                tcps, Map.of("release", "prometheus", "team", "platform", "tcpfleet.io/service", "other"));
        assertThat(sm.getMetadata().getLabels())
                .containsEntry("release", "prometheus")
                .containsEntry("team", "edge")
                .containsEntry("tcpfleet.io/service", "echo");
    }

    @Test
    void theTrafficServiceIsNotSelected() {
        TcpService tcps = TestTcpServices.named("echo");
        Map<String, String> selector =
                ServerServiceMonitor.build(tcps).getSpec().getSelector().getMatchLabels();
        Map<String, String> trafficLabels =
                ServerServices.traffic(tcps).getMetadata().getLabels();
        assertThat(trafficLabels.entrySet().containsAll(selector.entrySet())).isFalse();
    }
}
