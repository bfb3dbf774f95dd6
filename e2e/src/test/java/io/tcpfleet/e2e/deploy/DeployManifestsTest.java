package io.tcpfleet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.support.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl kustomize deploy/} renders: the install a user applies. Rendered by the
 * real kubectl, so a kustomization that does not build fails here first.
 */
class DeployManifestsTest {

    static final String SYSTEM_NAMESPACE = "tcpfleet-system";
    static final String OPERATOR = "tcpfleet-operator";
    static final String WATCH_NAMESPACES = "QUARKUS_OPERATOR_SDK_NAMESPACES";
    private static Manifests base;

    @BeforeAll
    static void render() {
        base = Manifests.kustomize("deploy");
    }

    @Test
    void namespaceEnforcesAuditsAndWarnsAtRestrictedPodSecurity() {
        JsonNode labels =
                base.get("Namespace", SYSTEM_NAMESPACE).path("metadata").path("labels");

        for (String mode : List.of("enforce", "audit", "warn")) {
            assertThat(labels.path("pod-security.kubernetes.io/" + mode).asText())
                    .as(mode)
                    .isEqualTo("restricted");
        }
    }

    @Test
    void everyNamespacedObjectLivesInTheSystemNamespace() {
        Set<String> clusterScoped =
                Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");

        List<String> misplaced = base.all().stream()
                .filter(o -> !clusterScoped.contains(o.path("kind").asText()))
                .filter(o -> !SYSTEM_NAMESPACE.equals(
                        o.path("metadata").path("namespace").asText()))
                .map(Manifests::describe)
                .toList();

        assertThat(misplaced).isEmpty();
    }

    @Test
    void operatorRunsTwoReplicasAsItsOwnServiceAccount() {
        JsonNode deployment = base.get("Deployment", OPERATOR);
        JsonNode pod = deployment.path("spec").path("template").path("spec");

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(OPERATOR);
        assertThat(base.find("ServiceAccount", OPERATOR)).isPresent();
    }

    @Test
    void operatorIsProbedOnQuarkusHealthEndpointsOfPort8080() {
        JsonNode container = operatorContainer();

        assertThat(containerPort(
                        container,
                        container
                                .path("livenessProbe")
                                .path("httpGet")
                                .path("port")
                                .asText()))
                .isEqualTo(8080);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/live");
        assertThat(containerPort(
                        container,
                        container
                                .path("readinessProbe")
                                .path("httpGet")
                                .path("port")
                                .asText()))
                .isEqualTo(8080);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/ready");
    }

    @Test
    void operatorHasResourceRequestsAndAMemoryLimit() {
        JsonNode resources = operatorContainer().path("resources");

        assertThat(resources.path("requests").path("cpu").asText()).isNotEmpty();
        assertThat(resources.path("requests").path("memory").asText()).isNotEmpty();
        assertThat(resources.path("limits").path("memory").asText()).isNotEmpty();
    }

    @Test
    void operatorPodMeetsRestrictedPodSecurity() {
        JsonNode pod =
                base.get("Deployment", OPERATOR).path("spec").path("template").path("spec");
        JsonNode container = operatorContainer();
        JsonNode securityContext = container.path("securityContext");

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext")
                        .path("seccompProfile")
                        .path("type")
                        .asText())
                .isEqualTo("RuntimeDefault");
        assertThat(securityContext.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(securityContext.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(securityContext.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(texts(securityContext.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(securityContext.path("capabilities").has("add")).isFalse();
        assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
    }

    @Test
    void metricsServiceReachesTheOperatorHttpPort() {
        JsonNode service = base.get("Service", OPERATOR + "-metrics");
        JsonNode podLabels = base.get("Deployment", OPERATOR)
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels");
        JsonNode port = service.path("spec").path("ports").get(0);

        assertThat(fields(podLabels))
                .containsAllEntriesOf(fields(service.path("spec").path("selector")));
        assertThat(fields(service.path("spec").path("selector"))).isNotEmpty();
        assertThat(port.path("name").asText()).isEqualTo("metrics");
        assertThat(containerPort(operatorContainer(), port.path("targetPort").asText()))
                .isEqualTo(8080);
        assertThat(service.path("spec").path("ports")).hasSize(1);
    }

    @Test
    void disruptionBudgetKeepsOneOperatorReplica() {
        JsonNode pdb = base.get("PodDisruptionBudget", OPERATOR).path("spec");
        JsonNode podLabels = base.get("Deployment", OPERATOR)
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels");

        assertThat(pdb.path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(base.get("Deployment", OPERATOR)
                        .path("spec")
                        .path("replicas")
                        .asInt())
                .isGreaterThan(1);
        assertThat(fields(podLabels))
                .containsAllEntriesOf(fields(pdb.path("selector").path("matchLabels")));
        assertThat(fields(pdb.path("selector").path("matchLabels"))).isNotEmpty();
    }

    @Test
    void overlayWatchesOneNamespaceAndIsBoundOnlyThere() {
        Manifests overlay = Manifests.kustomize("deploy/overlays/single-namespace");
        JsonNode overlayContainer = overlay.get("Deployment", OPERATOR)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);

        assertThat(env(operatorContainer())).doesNotContainKey(WATCH_NAMESPACES);
        assertThat(env(overlayContainer)).containsEntry(WATCH_NAMESPACES, "tcpfleet-demo");
        assertThat(bindingsOf(base, "ClusterRoleBinding", OPERATOR)).hasSize(1);
        assertThat(bindingsOf(overlay, "ClusterRoleBinding", OPERATOR)).isEmpty();
        assertThat(bindingsOf(overlay, "RoleBinding", OPERATOR))
                .extracting(Manifests::describe)
                .containsExactly("RoleBinding tcpfleet-demo/" + OPERATOR);
    }

    @Test
    void rbacGrantsNoWildcardsAndNoSecrets() {
        for (Manifests rendered : List.of(base, Manifests.kustomize("deploy/overlays/single-namespace"))) {
            List<JsonNode> rules = new ArrayList<>();
            rendered.ofKind("ClusterRole").forEach(r -> r.path("rules").forEach(rules::add));
            rendered.ofKind("Role").forEach(r -> r.path("rules").forEach(rules::add));

            assertThat(rules).isNotEmpty().allSatisfy(rule -> {
                assertThat(texts(rule.path("verbs"))).doesNotContain("*");
                assertThat(texts(rule.path("resources"))).doesNotContain("*", "secrets");
                assertThat(texts(rule.path("apiGroups"))).doesNotContain("*");
                assertThat(rule.has("nonResourceURLs")).isFalse();
            });
        }
    }

    @Test
    void everyBindingGrantsToTheOperatorServiceAccountOnly() {
        List<JsonNode> bindings = new ArrayList<>(base.ofKind("ClusterRoleBinding"));
        bindings.addAll(base.ofKind("RoleBinding"));

        assertThat(bindings)
                .isNotEmpty()
                .allSatisfy(b -> assertThat(b.path("subjects")).singleElement().satisfies(subject -> {
                    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
                    assertThat(subject.path("name").asText()).isEqualTo(OPERATOR);
                    assertThat(subject.path("namespace").asText()).isEqualTo(SYSTEM_NAMESPACE);
                }));
    }

    /** Bindings of kind whose roleRef is the ClusterRole named role. */
    static List<JsonNode> bindingsOf(Manifests rendered, String kind, String role) {
        return rendered.ofKind(kind).stream()
                .filter(b -> "ClusterRole".equals(b.path("roleRef").path("kind").asText()))
                .filter(b -> role.equals(b.path("roleRef").path("name").asText()))
                .toList();
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new TreeMap<>();
        container
                .path("env")
                .forEach(e -> out.put(e.path("name").asText(), e.path("value").asText()));
        return out;
    }

    static JsonNode operatorContainer() {
        JsonNode containers = base.get("Deployment", OPERATOR)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** The number of a probe's or Service's port, which may name a container port. */
    static int containerPort(JsonNode container, String port) {
        if (port.matches("\\d+")) {
            return Integer.parseInt(port);
        }
        for (JsonNode p : container.path("ports")) {
            if (port.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no port named " + port);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, String> fields(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
