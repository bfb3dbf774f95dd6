package io.tcpfleet.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcpfleet.e2e.support.Helm;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * charts/tcpfleet, checked by the real helm (make tools): it lints, its values are checked by its
 * schema, and it renders the objects deploy/ renders, so the two installs cannot drift apart.
 */
class HelmChartTest {

    private static final String NAMESPACE = "tcpfleet-system";
    private static final String LEASE_ROLE = "tcpfleet-operator-leader-election";

    /**
     * The labels Helm's conventions add to every object (chart, release, managed-by, app version):
     * the only difference allowed between the chart and deploy/ (charts/tcpfleet/README.md).
     */
    private static final Set<String> HELM_LABELS = Set.of(
            "helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/instance", "app.kubernetes.io/version");

    @Test
    void lintPasses() {
        Processes.Result lint = Helm.run(
                List.of("lint", "--strict", RepoPaths.resolve(Helm.CHART).toString()));

        assertThat(lint.exitCode()).as(lint.output()).isZero();
    }

    @Test
    void aClusterOlderThanTheSupportedMinimumIsRefusedByName() {
        // The CRD's CEL rules need the quantity library of 1.28 (docs/install.md).
        assertThat(Helm.render(NAMESPACE, "--kube-version", "1.28.0").exitCode())
                .isZero();

        Processes.Result old = Helm.render(NAMESPACE, "--kube-version", "1.27.9");
        assertThat(old.exitCode()).isNotZero();
        assertThat(old.output()).contains("requires kubeVersion: >=1.28.0-0");
    }

    @Test
    void defaultsRenderDeployWithoutItsNamespace() {
        Map<String, JsonNode> deploy = byKindAndName(Manifests.kustomize("deploy"));
        deploy.remove("Namespace " + NAMESPACE);

        assertSameObjects(Helm.template(NAMESPACE), deploy);
    }

    @Test
    void withTheNamespaceCreatedTheChartRendersExactlyDeploy() {
        assertSameObjects(
                Helm.template(NAMESPACE, "--set", "namespace.create=true"),
                byKindAndName(Manifests.kustomize("deploy")));
    }

    @Test
    void oneWatchedNamespaceRendersTheSingleNamespaceOverlay() {
        assertSameObjects(
                Helm.template(NAMESPACE, "--set", "namespace.create=true", "--set", "watchNamespaces={tcpfleet-demo}"),
                byKindAndName(Manifests.kustomize("deploy/overlays/single-namespace")));
    }

    @Test
    void watchedNamespacesGetOneRoleBindingEachAndNoClusterWideBinding() {
        Manifests chart = Helm.template(NAMESPACE, "--set", "watchNamespaces={team-a,team-b}");

        assertThat(chart.ofKind("RoleBinding").stream()
                        .filter(b -> b.at("/roleRef/name").asText().equals("tcpfleet-operator"))
                        .map(b -> b.at("/metadata/namespace").asText()))
                .containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(chart.find("ClusterRoleBinding", "tcpfleet-operator")).isEmpty();
        assertThat(env(chart, "QUARKUS_OPERATOR_SDK_NAMESPACES")).isEqualTo("team-a,team-b");
    }

    @Test
    void aSecondInstallRenamesEveryClusterScopedObjectAndWhatRefersToIt() {
        Manifests chart = Helm.template(
                "team-system",
                "--set",
                "clusterNamePrefix=team-",
                "--set",
                "watchNamespaces={team}",
                "--set",
                "monitoring.enabled=true");

        assertThat(Stream.of("ClusterRole", "ClusterRoleBinding")
                        .flatMap(kind -> chart.ofKind(kind).stream())
                        .map(o -> o.at("/metadata/name").asText()))
                .isNotEmpty()
                .allMatch(name -> name.startsWith("team-"));
        assertThat(Stream.of("ClusterRoleBinding", "RoleBinding")
                        .flatMap(kind -> chart.ofKind(kind).stream())
                        .filter(b -> b.at("/roleRef/kind").asText().equals("ClusterRole"))
                        .map(b -> b.at("/roleRef/name").asText()))
                .isNotEmpty()
                .allMatch(name -> name.startsWith("team-"));
    }

    @Test
    void userRolesOffLeavesOnlyTheOperatorsClusterRole() {
        Manifests chart = Helm.template(NAMESPACE, "--set", "userRoles.enabled=false");

        assertThat(chart.ofKind("ClusterRole"))
                .extracting(r -> r.at("/metadata/name").asText())
                .containsExactly("tcpfleet-operator");
        assertThat(Helm.template(NAMESPACE).ofKind("ClusterRole"))
                .extracting(r -> r.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("tcpfleet-operator", "tcpfleet-edit", "tcpfleet-view");
    }

    @Test
    void monitoringRendersDeployMonitoringWithThePrometheusSelectorLabels() {
        Manifests chart = Helm.template(
                NAMESPACE, "--set", "monitoring.enabled=true", "--set", "monitoring.labels.release=prometheus");
        Map<String, JsonNode> operator = byKindAndName(Helm.template(NAMESPACE));
        Map<String, JsonNode> monitoring = byKindAndName(chart);
        monitoring.keySet().removeAll(operator.keySet());

        for (String kind : List.of("ServiceMonitor", "PrometheusRule")) {
            assertThat(chart.ofKind(kind))
                    .singleElement()
                    .extracting(o -> o.at("/metadata/labels/release").asText())
                    .as(kind)
                    .isEqualTo("prometheus");
            monitoring.values().stream()
                    .filter(o -> o.path("kind").asText().equals(kind))
                    .forEach(o -> ((ObjectNode) o.at("/metadata/labels")).remove("release"));
        }
        assertSameObjects(monitoring, byKindAndName(Manifests.kustomize("deploy/monitoring")));
    }

    @Test
    void leaderElectionOffRendersNoLeaseRoleAndTellsTheOperator() {
        Manifests on = Helm.template(NAMESPACE);
        Manifests off = Helm.template(NAMESPACE, "--set", "leaderElection.enabled=false", "--set", "replicas=1");

        for (String kind : List.of("Role", "RoleBinding")) {
            assertThat(on.find(kind, LEASE_ROLE))
                    .as("%s %s by default", kind, LEASE_ROLE)
                    .isPresent();
            assertThat(off.find(kind, LEASE_ROLE))
                    .as("%s %s when off", kind, LEASE_ROLE)
                    .isEmpty();
        }
        assertThat(env(off, "TCPFLEET_OPERATOR_LEADER_ELECTION")).isEqualTo("false");
        assertThat(off.get("Deployment", "tcpfleet-operator")
                        .at("/spec/strategy/type")
                        .asText())
                .as("never two operators without a Lease, not even during an upgrade")
                .isEqualTo("Recreate");
        assertThat(envNames(on)).doesNotContain("TCPFLEET_OPERATOR_LEADER_ELECTION");
    }

    @Test
    void moreThanOneReplicaWithoutLeaderElectionFailsNamingBothValues() {
        Processes.Result render =
                Helm.render(NAMESPACE, "--set", "leaderElection.enabled=false", "--set", "replicas=2");

        assertThat(render.exitCode()).isNotZero();
        assertThat(render.stderr()).contains("replicas: 2").contains("leaderElection.enabled=true");
    }

    @Test
    void aDigestPinsBothImages() {
        String digest = "sha256:" + "ab".repeat(32);
        Manifests chart =
                Helm.template(NAMESPACE, "--set", "image.digest=" + digest, "--set", "serverImage.digest=" + digest);

        assertThat(chart.get("Deployment", "tcpfleet-operator")
                        .at("/spec/template/spec/containers/0/image")
                        .asText())
                .isEqualTo("ghcr.io/tcpfleet/tcpfleet-operator@" + digest);
        assertThat(env(chart, "TCPFLEET_OPERATOR_SERVER_IMAGE"))
                .isEqualTo("ghcr.io/tcpfleet/tcpfleet-server@" + digest);
    }

    @Test
    void aValueOfTheWrongTypeFailsNamingTheField() {
        Processes.Result render = Helm.render(NAMESPACE, "--set-string", "replicas=two");

        assertThat(render.exitCode()).isNotZero();
        assertThat(render.stderr()).contains("/replicas").contains("want integer");
    }

    @Test
    void anUnknownValueFailsNamingIt() {
        Processes.Result render = Helm.render(NAMESPACE, "--set", "replica=3");

        assertThat(render.exitCode()).isNotZero();
        assertThat(render.stderr()).contains("additional properties 'replica' not allowed");
    }

    @Test
    void theChartsCrdIsTheRepositorysCrd() throws IOException {
        String crd = "tcpservices.tcpfleet.io-v1.yml";

        assertThat(Files.readAllBytes(RepoPaths.resolve(Helm.CHART + "/crds/" + crd)))
                .as("charts/tcpfleet/crds/%s must be a copy of crds/%s", crd, crd)
                .isEqualTo(Files.readAllBytes(RepoPaths.resolve("crds/" + crd)));
    }

    private static List<String> envNames(Manifests chart) {
        List<String> names = new ArrayList<>();
        chart.get("Deployment", "tcpfleet-operator")
                .at("/spec/template/spec/containers/0/env")
                .forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    private static String env(Manifests chart, String name) {
        for (JsonNode e : chart.get("Deployment", "tcpfleet-operator").at("/spec/template/spec/containers/0/env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name + " on the operator container");
    }

    private static void assertSameObjects(Manifests chart, Map<String, JsonNode> expected) {
        assertSameObjects(byKindAndName(chart), expected);
    }

    private static void assertSameObjects(Map<String, JsonNode> chart, Map<String, JsonNode> expected) {
        assertThat(chart.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        chart.forEach((key, object) -> assertThat(object).as(key).isEqualTo(expected.get(key)));
    }

    /** The objects keyed by kind and namespace/name, without Helm's labels. */
    private static Map<String, JsonNode> byKindAndName(Manifests manifests) {
        Map<String, JsonNode> objects = new TreeMap<>();
        for (JsonNode object : manifests.all()) {
            JsonNode copy = object.deepCopy();
            ObjectNode metadata = (ObjectNode) copy.path("metadata");
            if (metadata.path("labels") instanceof ObjectNode labels) {
                labels.remove(HELM_LABELS);
                if (labels.isEmpty()) {
                    metadata.remove("labels");
                }
            }
            objects.put(Manifests.describe(copy), copy);
        }
        return objects;
    }
}
