package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert fires once: promtool evaluates the fleet rule (deploy/monitoring) and the rule this
 * operator writes for apps/echo together, as a Prometheus that selects both does, on series where
 * every alert's condition holds for echo (its own rule) and for other (none). The expected alerts in
 * src/test/resources/promtool/alert-ownership-test.yaml are exact: a second copy fails the test.
 */
class AlertOwnershipTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Path FLEET_RULE = RepoPaths.resolve("deploy/monitoring/prometheus-rule.yaml");
    private static final Path CASES =
            RepoPaths.resolve("operator/src/test/resources/promtool/alert-ownership-test.yaml");

    @Test
    void aServiceWithItsOwnRuleAlertsOnceFromItAndTheFleetRuleCoversTheRest(@TempDir Path dir) throws Exception {
        PrometheusRule fleet = SERIALIZATION.unmarshal(Files.readString(FLEET_RULE), PrometheusRule.class);
        Files.writeString(dir.resolve("rules.yaml"), SERIALIZATION.asYaml(fleet.getSpec()));
        PrometheusRule echo = ServerPrometheusRule.build(TestTcpServices.named("echo"));
        Files.writeString(dir.resolve("echo-rules.yaml"), SERIALIZATION.asYaml(echo.getSpec()));
        Path cases = Files.copy(CASES, dir.resolve("alert-ownership-test.yaml"));

        Processes.Result test = Processes.run(List.of("promtool", "test", "rules", cases.toString()));
        assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
    }

    @Test
    void theFleetRuleSkipsExactlyWhatThePerServiceRuleRecords() throws Exception {
        String fleet = Files.readString(FLEET_RULE);
        // The nine alert rules a per-service rule also carries skip the services it records; the operator's own does
        // not.
        assertThat(fleet.lines()
                        .filter(l ->
                                l.strip().startsWith("unless on (") && l.contains(ServerPrometheusRule.OWNED_RECORD)))
                .hasSize(9);
        assertThat(fleet).isEqualTo(Files.readString(RepoPaths.resolve("charts/tcpfleet/files/prometheus-rule.yaml")));
    }
}
