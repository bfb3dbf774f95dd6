package io.tcpfleet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs deploy/argocd/health-tcpservice.lua with the real Lua 5.1 interpreter against TcpService
 * objects in every state, inside a harness that gives the script only what Argo CD's gopher-lua
 * sandbox gives it (base, table, os.time/os.date; no string library).
 */
class ArgoHealthCheckTest {

    private static final String CONFIG_MAP_KEY = "resource.customizations.health.tcpfleet.io_TcpService";
    private static final Path SCRIPT = ArgoHealth.SCRIPT;
    private static final Path CONFIG_MAP_PATCH = RepoPaths.resolve("deploy/argocd/argocd-cm-patch.yaml");

    static Stream<Arguments> samples() {
        return Stream.of(
                arguments("healthy", "Healthy", "3/3 replicas ready"),
                arguments("no-status", "Progressing", "Waiting for the operator to report status"),
                arguments("empty-conditions", "Progressing", "Waiting for the operator to report status"),
                arguments(
                        "generation-ahead",
                        "Progressing",
                        "Waiting for the operator to observe generation 5 (observed 4)"),
                arguments(
                        "no-observed-generation",
                        "Progressing",
                        "Waiting for the operator to observe generation 2 (observed none)"),
                arguments("rolling-out", "Progressing", "1 of 3 pods updated"),
                arguments("degraded", "Degraded", "Deployment echo: forbidden: exceeded quota: compute-resources"),
                arguments(
                        "ready-false-failure",
                        "Degraded",
                        "Deployment echo has timed out progressing: ReplicaSet echo-5f7d has timed out progressing."),
                arguments("ready-false-waiting", "Progressing", "0/3 replicas ready"),
                arguments("ready-unknown", "Progressing", "Waiting for the TcpService to become ready"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("samples")
    void reportsTheHealthArgoCdShouldShow(String sample, String status, String message) {
        ArgoHealth.Health health = ArgoHealth.of(resource("samples/" + sample + ".json"));

        assertThat(health).isEqualTo(new ArgoHealth.Health(status, message));
    }

    @Test
    void everySampleObjectHasAnExpectedOutcome() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(resource("samples"))) {
            onDisk = files.map(p -> p.getFileName().toString().replaceFirst("\\.json$", ""))
                    .collect(Collectors.toSet());
        }

        assertThat(onDisk).isEqualTo(samples().map(a -> (String) a.get()[0]).collect(Collectors.toSet()));
    }

    @Test
    void argocdConfigMapPatchCarriesExactlyTheScript() throws IOException {
        JsonNode patch = new ObjectMapper(new YAMLFactory()).readTree(CONFIG_MAP_PATCH.toFile());

        assertThat(patch.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
        assertThat(patch.path("data").path(CONFIG_MAP_KEY).asText())
                .as("%s in %s must be %s verbatim", CONFIG_MAP_KEY, CONFIG_MAP_PATCH, SCRIPT)
                .isEqualTo(Files.readString(SCRIPT));
    }

    @Test
    void harnessRefusesWhatArgoCdsSandboxRefuses(@TempDir Path dir) throws IOException {
        // If the sandbox failed open, a script using the string library would pass here and
        // break in Argo CD; this keeps the harness honest.
        Path usesStringMethods = dir.resolve("string-methods.lua");
        Files.writeString(usesStringMethods, "local hs = {}\nhs.status = obj.metadata.name:upper()\nreturn hs\n");
        Path usesStringLibrary = dir.resolve("string-library.lua");
        Files.writeString(usesStringLibrary, "return { status = string.format('%s', 'Healthy') }\n");
        Path sample = resource("samples/healthy.json");

        assertThat(ArgoHealth.run(usesStringMethods, sample).stderr())
                .contains("not available in Argo CD's Lua sandbox");
        assertThat(ArgoHealth.run(usesStringLibrary, sample).stderr()).contains("attempt to index global 'string'");
    }

    private static Path resource(String name) {
        return ArgoHealth.resource(name);
    }
}
