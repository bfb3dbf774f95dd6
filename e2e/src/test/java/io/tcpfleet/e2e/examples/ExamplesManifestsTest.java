package io.tcpfleet.e2e.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.RepoPaths;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** examples/ as a user takes it: single files applied with -n, or the directory with -k. */
class ExamplesManifestsTest {

    @Test
    void singleFilesCarryNoNamespaceSoUsersChooseOne() {
        for (String file : List.of("examples/echo.yaml", "examples/proxy.yaml")) {
            JsonNode service = Manifests.readYaml(RepoPaths.resolve(file));

            assertThat(service.path("kind").asText()).as(file).isEqualTo("TcpService");
            assertThat(service.path("apiVersion").asText()).as(file).isEqualTo("tcpfleet.io/v1alpha1");
            assertThat(service.path("metadata").has("namespace")).as(file).isFalse();
        }
    }

    @Test
    void directoryPutsEchoAndProxyInTheRestrictedDemoNamespace() {
        Manifests examples = Manifests.kustomize("examples");

        assertThat(examples.ofKind("TcpService"))
                .extracting(Manifests::describe)
                .containsExactlyInAnyOrder("TcpService tcpfleet-demo/echo", "TcpService tcpfleet-demo/echo-proxy");
        assertThat(examples.get("Namespace", "tcpfleet-demo")
                        .path("metadata")
                        .path("labels")
                        .path("pod-security.kubernetes.io/enforce")
                        .asText())
                .isEqualTo("restricted");
    }

    @Test
    void proxyRelaysToTheEchoServicePort() {
        JsonNode echo = Manifests.readYaml(RepoPaths.resolve("examples/echo.yaml"));
        JsonNode proxy =
                Manifests.readYaml(RepoPaths.resolve("examples/proxy.yaml")).path("spec");

        assertThat(proxy.path("handler").asText()).isEqualTo("proxy");
        assertThat(proxy.path("upstream").path("host").asText())
                .isEqualTo(echo.path("metadata").path("name").asText());
        assertThat(proxy.path("upstream").path("port").asInt())
                .isEqualTo(echo.path("spec").path("port").asInt());
    }

    @Test
    void argoCdApplicationsSyncCrdsThenDeployThenExamplesWithServerSideApply() {
        List<JsonNode> apps =
                Manifests.parse(readString("examples/argocd/application.yaml")).ofKind("Application");

        assertThat(apps)
                .extracting(a -> a.path("spec").path("source").path("path").asText())
                .containsExactly("crds", "deploy", "examples");
        assertThat(apps).extracting(ExamplesManifestsTest::wave).isSorted().doesNotHaveDuplicates();
        for (JsonNode app : apps) {
            assertThat(app.path("spec").path("syncPolicy").path("syncOptions").toString())
                    .as(app.path("metadata").path("name").asText())
                    .contains("\"ServerSideApply=true\"");
        }
        assertThat(apps.get(0)
                        .path("spec")
                        .path("syncPolicy")
                        .path("automated")
                        .path("prune")
                        .asBoolean(true))
                .as("pruning the CRD would delete every TcpService")
                .isFalse();
        assertThat(apps.get(1)
                        .path("spec")
                        .path("destination")
                        .path("namespace")
                        .asText())
                .isEqualTo("tcpfleet-system");
        assertThat(apps.get(2)
                        .path("spec")
                        .path("destination")
                        .path("namespace")
                        .asText())
                .isEqualTo("tcpfleet-demo");
    }

    @Test
    void argoCdApplicationPathsHoldWhatTheyClaim() throws java.io.IOException {
        List<JsonNode> apps =
                Manifests.parse(readString("examples/argocd/application.yaml")).ofKind("Application");

        try (var crds = Files.list(RepoPaths.resolve("crds"))) {
            assertThat(crds.map(p -> p.getFileName().toString())).contains("tcpservices.tcpfleet.io-v1.yml");
        }
        assertThat(apps.get(0)
                        .path("spec")
                        .path("source")
                        .path("directory")
                        .path("include")
                        .asText())
                .isEqualTo("*.yml");
        for (String kustomized : List.of("deploy", "examples")) {
            assertThat(Files.isRegularFile(RepoPaths.resolve(kustomized).resolve("kustomization.yaml")))
                    .as(kustomized)
                    .isTrue();
        }
    }

    @Test
    void deletingTheCrdsApplicationDoesNotCascadeToTheCrd() {
        JsonNode crds =
                Manifests.parse(readString("examples/argocd/application.yaml")).get("Application", "tcpfleet-crds");

        assertThat(crds.path("metadata").path("finalizers").toString())
                .as("resources-finalizer would delete the CRD, so every TcpService, with the Application")
                .doesNotContain("resources-finalizer.argocd.argoproj.io");
    }

    @Test
    void autoscaledApplicationLeavesReplicasToTheHpa() {
        JsonNode app = Manifests.parse(readString("examples/argocd/autoscaled.yaml"))
                .get("Application", "tcpfleet-autoscaled");
        Manifests synced = Manifests.parse(readString("examples/autoscaling/echo-autoscaled.yaml"));
        JsonNode hpa = synced.get("HorizontalPodAutoscaler", "echo-autoscaled");

        assertThat(app.at("/spec/source/path").asText()).isEqualTo("examples/autoscaling");
        assertThat(app.at("/spec/ignoreDifferences").toString())
                .isEqualTo(
                        "[{\"group\":\"tcpfleet.io\",\"kind\":\"TcpService\",\"jsonPointers\":[\"/spec/replicas\"]}]");
        assertThat(app.at("/spec/syncPolicy/syncOptions").toString())
                .contains("\"ServerSideApply=true\"", "\"RespectIgnoreDifferences=true\"");
        assertThat(app.at("/spec/syncPolicy/automated/selfHeal").asBoolean()).isTrue();
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("TcpService");
        assertThat(synced.find("TcpService", hpa.at("/spec/scaleTargetRef/name").asText()))
                .as("the HPA's target is in the same directory")
                .isPresent();
    }

    private static int wave(JsonNode o) {
        return Integer.parseInt(o.path("metadata")
                .path("annotations")
                .path("argocd.argoproj.io/sync-wave")
                .asText("0"));
    }

    private static String readString(String file) {
        try {
            return Files.readString(RepoPaths.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
