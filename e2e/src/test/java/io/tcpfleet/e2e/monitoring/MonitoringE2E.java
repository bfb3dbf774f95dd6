package io.tcpfleet.e2e.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/monitoring against reality: the files parse, promtool accepts the rules and each alert
 * fires in its test case, and every metric the dashboard and the alerts read is exposed by a real
 * server process, by the packaged operator running against the local control plane, or (for
 * TcpService readiness) by kube-state-metrics with the config we ship.
 */
@ExtendWith(ClusterExtension.class)
class MonitoringE2E {

    private static final Path SERVER_JAR = RepoPaths.resolve("server/target/tcpfleet-server.jar");
    private static final Path OPERATOR_JAR = RepoPaths.resolve("operator/target/quarkus-app/quarkus-run.jar");
    private static final Path ALERT_TESTS = RepoPaths.resolve("e2e/src/test/resources/monitoring/alerts-test.yaml");
    /** Not scraped: recorded by every per-TcpService PrometheusRule (ServerPrometheusRule.OWNED_RECORD). */
    private static final String RECORDED_BY_PER_SERVICE_RULES = "tcpfleet:tcpservice_alerts_owned";

    private static final Pattern JOSDK_CONSTANT =
            Pattern.compile("public static final java\\.lang\\.String \\w+ = \"([a-z_.]+)\";");

    @Test
    void dashboardAndRuleParseAndEveryPanelAndAlertHasAQuery() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("tcpfleet");
        assertThat(MonitoringFiles.dashboardQueries())
                .hasSizeGreaterThan(15)
                .allSatisfy((panel, expr) -> assertThat(expr).as(panel).isNotBlank());
        JsonNode rule = MonitoringFiles.rule();
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(MonitoringFiles.alertExpressions().keySet())
                .containsExactlyInAnyOrder(
                        "TcpfleetConnectionsNearMax",
                        "TcpfleetConnectionsRefused",
                        "TcpfleetDrainForcedCloses",
                        "TcpfleetUpstreamCircuitOpen",
                        "TcpfleetCloseWaitPilingUp",
                        "TcpfleetCertificateExpiringSoon",
                        "TcpfleetCertificateReloadFailed",
                        "TcpServiceNotReady",
                        "TcpfleetOperatorReconcileErrors");
        // The name extraction the exposure check relies on finds every family the files read (26), and
        // the series the operator's per-TcpService rules record (the fleet alerts skip what it names).
        assertThat(MonitoringFiles.queriedMetrics())
                .hasSize(27)
                .contains(RECORDED_BY_PER_SERVICE_RULES)
                .contains(
                        "tcpfleet_sockets",
                        "tcpfleet_connections_max",
                        "tcpfleet_connection_duration_seconds_bucket",
                        "tcpfleet_tls_handshakes_total",
                        "tcpfleet_tls_certificate_expiry_timestamp_seconds",
                        "tcpfleet_tls_reloads_total",
                        "jvm_gc_pause_seconds_sum",
                        "netty_allocator_memory_used",
                        "reconciliations_failure_total",
                        "reconciliations_execution_duration_seconds_bucket",
                        "kube_tcpfleet_tcpservice_condition");
    }

    @Test
    void kustomizationRendersTheRuleTheDashboardConfigMapAndIsNotInTheBase() throws Exception {
        Processes.Result rendered = Processes.run(List.of("kubectl", "kustomize", MonitoringFiles.DIR.toString()));
        assertThat(rendered.exitCode()).as(rendered.stderr()).isZero();
        Set<String> objects = new TreeSet<>();
        for (JsonNode doc : MonitoringFiles.YAML
                .readValues(MonitoringFiles.YAML.createParser(rendered.stdout()), JsonNode.class)
                .readAll()) {
            objects.add(doc.path("kind").asText() + "/"
                    + doc.path("metadata").path("name").asText());
            if (doc.path("kind").asText().equals("ConfigMap")
                    && doc.path("data").has("grafana-dashboard.json")) {
                assertThat(doc.path("metadata")
                                .path("labels")
                                .path("grafana_dashboard")
                                .asText())
                        .isEqualTo("1");
                assertThat(MonitoringFiles.JSON.readTree(
                                doc.path("data").path("grafana-dashboard.json").asText()))
                        .isEqualTo(MonitoringFiles.dashboard());
            }
        }
        assertThat(objects)
                .containsExactlyInAnyOrder(
                        "PrometheusRule/tcpfleet",
                        "ServiceMonitor/tcpfleet-operator",
                        "ConfigMap/tcpfleet-grafana-dashboard",
                        "ConfigMap/tcpfleet-kube-state-metrics",
                        "ClusterRole/tcpfleet-kube-state-metrics");
        // The base must apply on clusters without the Prometheus Operator CRDs.
        assertThat(Files.readString(RepoPaths.resolve("deploy/kustomization.yaml")))
                .doesNotContain("monitoring");
    }

    @Test
    void promtoolAcceptsTheRulesAndEveryAlertFiresInItsTestCase(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        MonitoringFiles.YAML.writeValue(rules.toFile(), MonitoringFiles.rule().path("spec"));
        Path tests = Files.copy(ALERT_TESTS, dir.resolve("alerts-test.yaml"));

        Processes.Result check = Processes.run(List.of("promtool", "check", "rules", rules.toString()));
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
        assertThat(check.stdout()).contains("SUCCESS: 10 rules found");

        Processes.Result test = Processes.run(List.of("promtool", "test", "rules", tests.toString()));
        assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();

        // Each alert has a case in which it is expected to fire (promtool fails when it does not).
        JsonNode cases = MonitoringFiles.YAML.readTree(tests.toFile()).path("tests");
        Set<String> firing = new TreeSet<>();
        for (JsonNode testCase : cases) {
            for (JsonNode expectation : testCase.path("alert_rule_test")) {
                if (!expectation.path("exp_alerts").isEmpty()) {
                    firing.add(expectation.path("alertname").asText());
                }
            }
        }
        assertThat(firing)
                .containsExactlyInAnyOrderElementsOf(
                        MonitoringFiles.alertExpressions().keySet());
    }

    @Test
    void everyQueriedMetricIsExposedByTheServerTheOperatorOrKubeStateMetrics(TestNamespace namespace, @TempDir Path dir)
            throws Exception {
        Set<String> exposed = new TreeSet<>(serverScrapeAfterTraffic(dir));
        exposed.addAll(tlsServerScrape(dir));
        Set<String> operator = operatorScrape(namespace.name(), dir);
        exposed.addAll(operator);
        exposed.addAll(MonitoringFiles.kubeStateMetricsNames());

        // JOSDK creates a reconcile failure counter on the first failure only; that name is taken
        // from the operator's own JOSDK jar (its constants), the rest must have been scraped.
        Set<String> josdk = josdkMetricNames();
        Set<String> missing = new TreeSet<>(MonitoringFiles.queriedMetrics());
        missing.removeAll(exposed);
        missing.removeAll(josdk);
        missing.remove(RECORDED_BY_PER_SERVICE_RULES);
        assertThat(missing)
                .as("queried but exposed by nothing; operator scrape had " + operator)
                .isEmpty();
        assertThat(josdk).contains("reconciliations_failure_total", "reconciliations_started_total");
        assertThat(operator)
                .as("operator /q/metrics")
                .contains(
                        "reconciliations_started_total",
                        "reconciliations_success_total",
                        "reconciliations_execution_duration_seconds_bucket",
                        "reconciliations_queue");
    }

    private static Set<String> serverScrapeAfterTraffic(Path dir) throws Exception {
        int port = Loopback.freePort();
        int admin = Loopback.freePort();
        List<String> command = List.of(
                java(),
                "-jar",
                SERVER_JAR.toString(),
                "--handler",
                "echo",
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--admin-bind",
                "127.0.0.1",
                "--admin-port",
                Integer.toString(admin),
                "--plugins-dir",
                dir.resolve("no-plugins").toString());
        try (ScrapedProcess server =
                ScrapedProcess.start(command, Map.of(), admin, dir.resolve("server.log"), "/health/ready")) {
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = client.getOutputStream();
                    out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = client.getInputStream();
                    assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII))
                            .isEqualTo("ping\n");
                }
            }
            Awaitility.await("closes counted")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.get("/metrics")
                            .body()
                            .contains("tcpfleet_connections_closed_total{reason=\"client\"} 3.0"));
            return server.sampleNames("/metrics");
        }
    }

    /** The TLS meters exist on a server with TLS only: one with a certificate openssl makes for the run. */
    private static Set<String> tlsServerScrape(Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Processes.Result openssl = Processes.run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "1",
                "-subj",
                "/CN=localhost"));
        assertThat(openssl.exitCode()).as(openssl.stderr()).isZero();
        int admin = Loopback.freePort();
        List<String> command = List.of(
                java(),
                "-jar",
                SERVER_JAR.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(Loopback.freePort()),
                "--admin-bind",
                "127.0.0.1",
                "--admin-port",
                Integer.toString(admin),
                "--plugins-dir",
                dir.resolve("no-plugins").toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString());
        try (ScrapedProcess server =
                ScrapedProcess.start(command, Map.of(), admin, dir.resolve("tls-server.log"), "/health/ready")) {
            return server.sampleNames("/metrics");
        }
    }

    private static Set<String> operatorScrape(String namespace, Path dir) throws Exception {
        Kubectl kubectl = InstalledBase.crds();
        try (OperatorProcess operator = OperatorProcess.start(
                dir.resolve("operator.log"),
                kubectl.kubeconfig(),
                Map.of(),
                Map.of("POD_NAMESPACE", namespace, "QUARKUS_OPERATOR_SDK_NAMESPACES", namespace))) {
            kubectl.ok(
                    "apply",
                    "--server-side",
                    "-n",
                    namespace,
                    "-f",
                    RepoPaths.resolve("examples/echo.yaml").toString());
            Awaitility.await("a reconcile counted")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> operatorSampleNames(operator).contains("reconciliations_success_total"));
            return operatorSampleNames(operator);
        }
    }

    private static Set<String> operatorSampleNames(OperatorProcess operator) {
        HttpResponse<String> response = operator.get("/q/metrics").orElseThrow();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics answered " + response.statusCode());
        }
        return ScrapedProcess.parseSampleNames(response.body());
    }

    /** The metric names JOSDK's MicrometerMetricsV2 declares, read from the operator's packaged jar. */
    private static Set<String> josdkMetricNames() throws IOException {
        Path lib = OPERATOR_JAR.resolveSibling("lib").resolve("main");
        Path jar;
        try (var files = Files.list(lib)) {
            jar = files.filter(p -> p.getFileName().toString().contains("micrometer-support"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no JOSDK micrometer-support jar in " + lib));
        }
        Processes.Result javap = Processes.run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "javap").toString(),
                "-constants",
                "-cp",
                jar.toString(),
                "io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2"));
        assertThat(javap.exitCode()).as(javap.stderr()).isZero();
        Set<String> names = new TreeSet<>();
        Matcher m = JOSDK_CONSTANT.matcher(javap.stdout());
        while (m.find()) {
            names.add(m.group(1).replace('.', '_'));
        }
        return names;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
