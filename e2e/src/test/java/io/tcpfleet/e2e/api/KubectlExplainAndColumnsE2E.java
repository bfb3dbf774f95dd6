package io.tcpfleet.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD of crds/ as kubectl users meet it through the real API server: {@code kubectl explain}
 * prints the schema's descriptions (the API server republishes them as OpenAPI v3), and {@code
 * kubectl get tcps -o wide} shows the wide columns with what the real operator wrote.
 *
 * <p>Polls after applying the CRD: the API server republishes its OpenAPI and printer columns a
 * moment after a CRD changes.
 */
@ExtendWith(ClusterExtension.class)
class KubectlExplainAndColumnsE2E {

    private static final String IMAGE = "ghcr.io/tcpfleet/tcpfleet-server:0.1.0";

    @TempDir
    Path dir;

    @Test
    void explainPrintsTheDescriptionsOfOurFieldsAndOfEmbeddedKubernetesTypes() {
        Kubectl kubectl = InstalledBase.crds();

        for (String field : List.of(
                "tcpservices",
                "tcpservices.spec",
                "tcpservices.status.conditions",
                "tcpservices.spec.connections.max",
                "tcpservices.spec.pod.tolerations.key")) {
            String description = flat(schema(field).path("description").asText());
            assertThat(description).as("description of " + field + " in crds/").isNotBlank();
            await("kubectl explain " + field + " prints crds/' description")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> assertThat(flat(kubectl.ok("explain", field))).contains(description));
        }
    }

    @Test
    void getWideShowsUpdatedDegradedEndpointAndImage(KubernetesClient client, TestNamespace namespace)
            throws IOException {
        Kubectl kubectl = InstalledBase.admin();
        String ns = namespace.name();
        NamespacedOperator.allowLeaseIn(client, ns);
        Path manifest = Files.writeString(dir.resolve("echo.yaml"), """
                apiVersion: tcpfleet.io/v1alpha1
                kind: TcpService
                metadata:
                  name: echo
                spec:
                  replicas: 2
                  image: %s
                """.formatted(IMAGE));

        try (OperatorProcess operator =
                NamespacedOperator.start("wide-columns", NamespacedOperator.kubeconfig(kubectl, dir), ns)) {
            kubectl.ok("apply", "--server-side", "-n", ns, "-f", manifest.toString());
            kubectl.ok("wait", "-n", ns, "--for=condition=Ready", "--timeout=180s", "tcps/echo");

            String endpoint = "echo." + ns + ".svc:7000";
            await("kubectl get tcps -o wide shows the wide columns")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        List<String> wide = kubectl.ok("get", "tcps", "-n", ns, "-o", "wide")
                                .lines()
                                .toList();
                        assertThat(wide.get(0).split("\\s+"))
                                .containsExactly(
                                        "NAME",
                                        "REPLICAS",
                                        "READY",
                                        "HANDLER",
                                        "PORT",
                                        "STATUS",
                                        "AGE",
                                        "UPDATED",
                                        "DEGRADED",
                                        "ENDPOINT",
                                        "IMAGE");
                        String[] echo = wide.get(1).split("\\s+");
                        assertThat(echo).startsWith("echo", "2", "2", "echo", "7000", "AllReplicasReady");
                        assertThat(List.of(echo).subList(7, echo.length))
                                .containsExactly("2", "AsExpected", endpoint, IMAGE);
                    });
            assertThat(kubectl.ok("get", "tcps", "-n", ns).lines().findFirst().orElseThrow())
                    .as("without -o wide")
                    .doesNotContain("ENDPOINT", "IMAGE", "DEGRADED");
        }
    }

    /** The schema node of a kubectl explain path (resource.field.field...) in crds/. */
    private static JsonNode schema(String explainPath) {
        JsonNode crd = Manifests.readYaml(RepoPaths.resolve("crds/tcpservices.tcpfleet.io-v1.yml"));
        JsonNode node = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        List<String> fields = List.of(explainPath.split("\\."));
        for (String field : fields.subList(1, fields.size())) {
            node = node.has("items") ? node.path("items") : node;
            node = node.path("properties").path(field);
        }
        return node;
    }

    /** kubectl explain wraps and indents: compare words only. */
    private static String flat(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
