package io.tcpfleet.e2e.uninstall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.support.Helm;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/uninstall.md tells kubectl users that deleting deploy/ removes the operator but not the CRD
 * (so not the fleets), Helm users that the chart's CRDs are not part of the release Helm deletes,
 * and GitOps users that Argo CD, Flux and Helm keep the CRD when what installed it is deleted.
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

    /**
     * Every copy of the CRD a user can install carries each tool's "never delete this" switch, so
     * deleting whatever installed it (a Helm release, an Argo CD Application, a Flux
     * Kustomization) never deletes every TcpService with it.
     */
    @Test
    void everyShippedCrdCarriesTheAnnotationsThatKeepIt() throws IOException {
        Map<String, String> keep = Map.of(
                "helm.sh/resource-policy", "keep",
                "argocd.argoproj.io/sync-options", "Prune=false,Delete=false",
                "kustomize.toolkit.fluxcd.io/prune", "disabled");
        Map<String, JsonNode> copies = new LinkedHashMap<>();
        for (String dir : List.of("crds", "charts/tcpfleet/crds")) {
            try (Stream<Path> files = Files.list(RepoPaths.resolve(dir))) {
                files.sorted().forEach(f -> copies.put(dir + "/" + f.getFileName(), Manifests.readYaml(f)));
            }
        }
        // What Argo CD (and Flux's helm-controller) apply from the chart: helm template --include-crds.
        for (JsonNode crd : Helm.template("tcpfleet-system", "--include-crds").ofKind("CustomResourceDefinition")) {
            copies.put(
                    "helm template --include-crds: " + crd.at("/metadata/name").asText(), crd);
        }

        assertThat(copies).hasSize(3);
        copies.forEach((where, crd) -> {
            assertThat(crd.path("kind").asText()).as(where).isEqualTo("CustomResourceDefinition");
            for (Map.Entry<String, String> annotation : keep.entrySet()) {
                assertThat(crd.path("metadata")
                                .path("annotations")
                                .path(annotation.getKey())
                                .asText())
                        .as("%s: annotation %s", where, annotation.getKey())
                        .isEqualTo(annotation.getValue());
            }
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
