package io.tcpfleet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TcpService health check in Argo CD's layout for built-in checks
 * (deploy/argocd/resource_customizations/tcpfleet.io/TcpService: health.lua, health_test.yaml,
 * testdata/), run as Argo CD's own TestLuaHealthScript runs every built-in check: in gopher-lua,
 * each case's object against its expected status and message. Each case runs as a built-in check
 * and as an argocd-cm customization (no string library there), and both must agree.
 */
class ArgoHealthCheckTest {

    private static final String CONFIG_MAP_KEY = "resource.customizations.health.tcpfleet.io_TcpService";
    private static final Path CONFIG_MAP_PATCH = RepoPaths.resolve("deploy/argocd/argocd-cm-patch.yaml");

    @Test
    void everyCaseOfHealthTestYamlGetsItsStatusAndMessage() {
        Processes.Result result = ArgoHealth.test(ArgoHealth.CUSTOMIZATIONS);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout())
                .as("the cases run")
                .contains("tcpfleet.io/TcpService/testdata/healthy.yaml: Healthy")
                .contains("tcpfleet.io/TcpService/testdata/degraded_quotaExceeded.yaml: Degraded")
                .contains("10 passed, 0 failed");
    }

    @Test
    void argocdConfigMapPatchCarriesExactlyTheScript() throws IOException {
        // For Argo CD releases that do not ship the check yet: the same script through argocd-cm.
        JsonNode patch = new ObjectMapper(new YAMLFactory()).readTree(CONFIG_MAP_PATCH.toFile());

        assertThat(patch.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
        assertThat(patch.path("data").path(CONFIG_MAP_KEY).asText())
                .as("%s in %s must be %s verbatim", CONFIG_MAP_KEY, CONFIG_MAP_PATCH, ArgoHealth.SCRIPT)
                .isEqualTo(Files.readString(ArgoHealth.SCRIPT));
    }

    @Test
    void runnerFailsAWrongExpectationAndWhatOnlyABuiltInCheckMayUse(@TempDir Path dir) throws IOException {
        // The runner must be able to fail: a wrong message, and a script that works as a built-in
        // check (standard libraries open) but breaks through argocd-cm (no string library).
        Path check = dir.resolve("tcpfleet.io/TcpService");
        Files.createDirectories(check.resolve("testdata"));
        Files.copy(
                ArgoHealth.CUSTOMIZATIONS.resolve("tcpfleet.io/TcpService/testdata/healthy.yaml"),
                check.resolve("testdata/healthy.yaml"));
        Files.writeString(check.resolve("health_test.yaml"), """
                tests:
                - healthStatus:
                    status: Healthy
                    message: ECHO
                  inputPath: testdata/healthy.yaml
                """);

        Files.writeString(check.resolve("health.lua"), "return { status = 'Healthy', message = 'echo' }\n");
        Processes.Result wrongMessage = ArgoHealth.test(dir);
        Files.writeString(
                check.resolve("health.lua"), "return { status = 'Healthy', message = obj.metadata.name:upper() }\n");
        Processes.Result stringMethod = ArgoHealth.test(dir);

        assertThat(wrongMessage.exitCode()).isEqualTo(1);
        assertThat(wrongMessage.stdout()).contains("want {Status:Healthy Message:ECHO}");
        assertThat(stringMethod.exitCode()).isEqualTo(1);
        assertThat(stringMethod.stdout()).contains("as argocd-cm check").contains("upper");
    }
}
