package io.tcpfleet.e2e.uninstall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/uninstall.md tells kubectl users that deleting deploy/ removes the operator but not the CRD
 * (so not the fleets), and Helm users that the chart's CRDs are not part of the release Helm deletes.
 */
class UninstallManifestsTest {

    @Test
    void deployHoldsNoCrdSoDeletingItKeepsEveryTcpService() {
        Manifests deploy = Manifests.kustomize("deploy");

        assertThat(deploy.ofKind("CustomResourceDefinition")).isEmpty();
        assertThat(deploy.ofKind("Namespace"))
                .extracting(n -> n.at("/metadata/name").asText())
                .as("the one namespace `kubectl delete -k deploy/` deletes")
                .containsExactly("tcpfleet-system");
        assertThat(deploy.ofKind("ClusterRole"))
                .extracting(n -> n.at("/metadata/name").asText())
                .as("cluster roles it deletes, the users' aggregated ones among them")
                .contains("tcpfleet-edit", "tcpfleet-view");
    }

    @Test
    void theChartsCrdsAreInCrdsWhichHelmInstallsButNeverDeletes() throws IOException {
        Path chart = RepoPaths.resolve("charts/tcpfleet");
        JsonNode crd = Manifests.readYaml(chart.resolve("crds/tcpservices.tcpfleet.io-v1.yml"));
        assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");

        try (Stream<Path> templates = Files.list(chart.resolve("templates"))) {
            List<Path> withCrd = templates
                    .filter(t -> read(t).contains("kind: CustomResourceDefinition"))
                    .toList();
            assertThat(withCrd)
                    .as("templates (deleted by helm uninstall) holding a CRD")
                    .isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
