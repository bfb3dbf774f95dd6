package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.tcpfleet.operator.api.v1alpha1.Monitoring;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerPrometheusRuleTest {

    private static final List<String> FLEET_RULE_ALERTS_PER_SERVICE = List.of(
            "TcpfleetConnectionsNearMax",
            "TcpfleetConnectionsRefused",
            "TcpfleetDrainForcedCloses",
            "TcpfleetUpstreamCircuitOpen",
            "TcpfleetCloseWaitPilingUp",
            "TcpfleetCertificateExpiringSoon",
            "TcpfleetCertificateExpiringSoon",
            "TcpfleetCertificateReloadFailed",
            "TcpServiceNotReady");

    @Test
    void namedAndLabelledLikeTheOtherChildrenWithTheMonitoringLabels() {
        TcpService tcps = TestTcpServices.named("echo");
        Monitoring m = new Monitoring();
        m.setLabels(Map.of("release", "prom"));
        tcps.getSpec().setMonitoring(m);
        PrometheusRule rule = ServerPrometheusRule.build(tcps);
        assertThat(rule.getMetadata().getName()).isEqualTo("echo");
        assertThat(rule.getMetadata().getNamespace()).isEqualTo("apps");
        assertThat(rule.getMetadata().getLabels())
                .containsEntry("release", "prom")
                .containsEntry("tcpfleet.io/service", "echo")
                .containsEntry("app.kubernetes.io/managed-by", "tcpfleet-operator");
        // The dependent sets the controller reference; the builder stays owner-free.
        assertThat(rule.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void carriesTheFleetAlertsForThisServiceOnly() {
        PrometheusRule rule = ServerPrometheusRule.build(TestTcpServices.named("echo"));
        List<Rule> rules = alerts(rule);
        assertThat(rules).extracting(Rule::getAlert).containsExactlyElementsOf(FLEET_RULE_ALERTS_PER_SERVICE);
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.getExpr().getStrVal()).contains("namespace=\"apps\"");
            assertThat(r.getLabels()).containsKey("severity");
            assertThat(r.getAnnotations()).containsKeys("summary", "description");
            assertThat(r.getAnnotations())
                    .containsEntry(
                            "runbook_url",
                            "https://github.com/tcpfleet/tcpfleet/blob/main/docs/runbooks.md#"
                                    + r.getAlert().toLowerCase(java.util.Locale.ROOT));
        });
        assertThat(rules)
                .filteredOn(r -> r.getAlert().startsWith("Tcpfleet"))
                .allSatisfy(r -> assertThat(r.getExpr().getStrVal())
                        .contains("service=\"" + TcpServiceResources.metricsServiceName(TestTcpServices.named("echo"))
                                + "\""));
    }

    @Test
    void everyServerSeriesIsScopedNotJustTheFirst() {
        PrometheusRule rule = ServerPrometheusRule.build(TestTcpServices.named("echo"));
        Rule nearMax = alerts(rule).get(0);
        assertThat(nearMax.getExpr().getStrVal())
                .isEqualTo(
                        "max by (namespace, service, pod) (tcpfleet_connections_active{namespace=\"apps\",service=\"echo-metrics\"}"
                                + " / tcpfleet_connections_max{namespace=\"apps\",service=\"echo-metrics\"}) > 0.9");
        assertThat(nearMax.getFor()).isEqualTo("5m");
    }

    @Test
    void theCertificateExpiryAlertWarnsAtFourteenDaysAndIsCriticalAtTwo() {
        List<Rule> expiry = alerts(ServerPrometheusRule.build(TestTcpServices.named("echo"))).stream()
                .filter(r -> "TcpfleetCertificateExpiringSoon".equals(r.getAlert()))
                .toList();
        assertThat(expiry)
                .extracting(r -> r.getLabels().get("severity"), r -> r.getExpr().getStrVal(), Rule::getFor)
                .containsExactly(
                        tuple(
                                "warning",
                                "min by (namespace, service) (tcpfleet_tls_certificate_expiry_timestamp_seconds"
                                        + "{namespace=\"apps\",service=\"echo-metrics\"}) - time() < 14 * 86400",
                                "1h"),
                        tuple(
                                "critical",
                                "min by (namespace, service) (tcpfleet_tls_certificate_expiry_timestamp_seconds"
                                        + "{namespace=\"apps\",service=\"echo-metrics\"}) - time() < 2 * 86400",
                                "5m"));
    }

    @Test
    void theReadinessAlertSelectsTheTcpServiceByName() {
        Rule notReady =
                ServerPrometheusRule.build(TestTcpServices.named("echo"))
                        .getSpec()
                        .getGroups()
                        .get(0)
                        .getRules()
                        .stream()
                        .filter(r -> "TcpServiceNotReady".equals(r.getAlert()))
                        .findFirst()
                        .orElseThrow();
        assertThat(notReady.getExpr().getStrVal())
                .isEqualTo(
                        "max by (namespace, name) (kube_tcpfleet_tcpservice_condition{type=\"Ready\",namespace=\"apps\",name=\"echo\"}) == 0");
        assertThat(notReady.getFor()).isEqualTo("10m");
    }

    /** What the fleet rule's alerts skip with unless on (namespace, service) or (namespace, name). */
    @Test
    void recordsThatThisServiceAlertsForItself() {
        Rule owned = ServerPrometheusRule.build(TestTcpServices.named("echo"))
                .getSpec()
                .getGroups()
                .get(0)
                .getRules()
                .get(0);
        assertThat(owned.getRecord()).isEqualTo("tcpfleet:tcpservice_alerts_owned");
        assertThat(owned.getExpr().getStrVal()).isEqualTo("vector(1)");
        assertThat(owned.getLabels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("namespace", "apps", "service", "echo-metrics", "name", "echo"));
    }

    @Test
    void operatorWideLabelsComeFirstAndTheTcpServicesWin() {
        TcpService tcps = TestTcpServices.named("echo");
        Monitoring m = new Monitoring();
        m.setLabels(Map.of("team", "edge"));
        tcps.getSpec().setMonitoring(m);
        PrometheusRule rule = ServerPrometheusRule.build(
                tcps, Map.of("release", "prometheus", "team", "platform", "tcpfleet.io/service", "other"));
        assertThat(rule.getMetadata().getLabels())
                .containsEntry("release", "prometheus")
                .containsEntry("team", "edge")
                .containsEntry("tcpfleet.io/service", "echo");
        assertThat(ServerPrometheusRule.build(TestTcpServices.named("echo"), Map.of("release", "prometheus"))
                        .getMetadata()
                        .getLabels())
                .containsEntry("release", "prometheus");
    }

    private static List<Rule> alerts(PrometheusRule rule) {
        return rule.getSpec().getGroups().stream()
                .flatMap(g -> g.getRules().stream())
                .filter(r -> r.getAlert() != null)
                .toList();
    }

    @Test
    void twoServicesGetDistinctScopes() {
        String a = alerts(ServerPrometheusRule.build(TestTcpServices.named("a")))
                .get(1)
                .getExpr()
                .getStrVal();
        String b = alerts(ServerPrometheusRule.build(TestTcpServices.named("b")))
                .get(1)
                .getExpr()
                .getStrVal();
        assertThat(a).contains("service=\"a-metrics\"").doesNotContain("b-metrics");
        assertThat(b).contains("service=\"b-metrics\"");
    }
}
