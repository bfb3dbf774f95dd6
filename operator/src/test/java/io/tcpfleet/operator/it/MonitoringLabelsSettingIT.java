package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.tcpfleet.operator.api.v1alpha1.Monitoring;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TCPFLEET_OPERATOR_MONITORING_LABELS, as the chart sets it: the packaged operator labels every
 * TcpService's ServiceMonitor and PrometheusRule with it, a TcpService's own labels win, and a
 * malformed value stops the start naming the setting. The shared operator is stopped meanwhile, so
 * the one under test is the only one reconciling this namespace.
 */
@ExtendWith(ClusterExtension.class)
class MonitoringLabelsSettingIT {

    @BeforeEach
    void aloneOnTheCluster(KubernetesClient client) {
        TestCluster.installTcpServiceCrd();
        OperatorRbac.install();
        TestCluster.installServiceMonitorCrd(client);
        TestCluster.installPrometheusRuleCrd(client);
        SharedOperator.stop(); // the next test that needs it starts a fresh one
    }

    @Test
    void everyServiceMonitorAndPrometheusRuleCarriesThemUnderTheTcpServicesOwn(
            KubernetesClient client, TestNamespace ns) {
        try (OperatorProcess operator = OperatorProcess.start(
                Path.of("target", "operator-it-monitoring-labels.log"),
                LocalCluster.shared().kubeconfig(),
                Map.of(
                        "kubernetes.impersonate.username",
                        OperatorRbac.USER,
                        "quarkus.operator-sdk.controllers.tcpservice.namespaces",
                        ns.name(),
                        "tcpfleet.operator.leader-election",
                        "false",
                        "tcpfleet.operator.server-image",
                        SharedOperator.TEST_IMAGE),
                Map.of("TCPFLEET_OPERATOR_MONITORING_LABELS", "release=prometheus,team=platform"))) {
            TcpServices.create(client, ns.name(), "plain", s -> s.setReplicas(1));
            TcpServices.create(client, ns.name(), "edge", s -> {
                s.setReplicas(1);
                Monitoring m = new Monitoring();
                m.setLabels(Map.of("team", "edge"));
                s.setMonitoring(m);
            });

            assertThat(labels(client, ServiceMonitor.class, ns, "plain"))
                    .containsEntry("release", "prometheus")
                    .containsEntry("team", "platform")
                    .containsEntry("tcpfleet.io/service", "plain");
            assertThat(labels(client, PrometheusRule.class, ns, "plain"))
                    .containsEntry("release", "prometheus")
                    .containsEntry("team", "platform");
            assertThat(labels(client, ServiceMonitor.class, ns, "edge"))
                    .containsEntry("release", "prometheus")
                    .containsEntry("team", "edge");
            assertThat(labels(client, PrometheusRule.class, ns, "edge")).containsEntry("team", "edge");
        }
    }

    @Test
    void aMalformedValueStopsTheStartNamingTheSetting() {
        OperatorProcess operator = OperatorProcess.launch(
                Path.of("target", "operator-it-monitoring-labels-malformed.log"),
                LocalCluster.shared().kubeconfig(),
                Map.of("tcpfleet.operator.leader-election", "false"),
                Map.of("TCPFLEET_OPERATOR_MONITORING_LABELS", "release"));
        try {
            assertThat(operator.awaitExit(Duration.ofMinutes(2))).isNotZero();
            assertThat(operator.logText())
                    .contains("tcpfleet.operator.monitoring-labels (env TCPFLEET_OPERATOR_MONITORING_LABELS):"
                            + " \"release\" is not key=value");
        } finally {
            operator.kill();
        }
    }

    private static <T extends HasMetadata> Map<String, String> labels(
            KubernetesClient client, Class<T> kind, TestNamespace ns, String name) {
        await(kind.getSimpleName() + " " + name)
                .until(() -> client.resources(kind)
                                .inNamespace(ns.name())
                                .withName(name)
                                .get()
                        != null);
        return client.resources(kind)
                .inNamespace(ns.name())
                .withName(name)
                .get()
                .getMetadata()
                .getLabels();
    }
}
