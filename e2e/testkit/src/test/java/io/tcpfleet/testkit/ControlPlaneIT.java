package io.tcpfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves that the local control plane is real Kubernetes: each test exercises a part that a mock
 * API server would not have (controllers, scheduler, kwok, admission, CEL, SSA, RBAC).
 */
@ExtendWith(ClusterExtension.class)
class ControlPlaneIT {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String IMAGE = "registry.invalid/tcpfleet/never-pulled:1";

    @Test
    void deploymentBecomesAvailableAndDisruptionBudgetCountsItsPods(KubernetesClient client, TestNamespace ns) {
        Map<String, String> labels = Map.of("app", "proof");
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("proof")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(IMAGE)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        PodDisruptionBudget budget = new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("proof")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(2))
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .endSpec()
                .build();
        client.apps().deployments().inNamespace(ns.name()).resource(deployment).create();
        client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns.name())
                .resource(budget)
                .create();

        await("deployment available").atMost(PATIENCE).untilAsserted(() -> {
            Deployment live = client.apps()
                    .deployments()
                    .inNamespace(ns.name())
                    .withName("proof")
                    .get();
            assertThat(live.getStatus().getAvailableReplicas()).isEqualTo(3);
        });
        assertThat(client.pods()
                        .inNamespace(ns.name())
                        .withLabels(labels)
                        .list()
                        .getItems())
                .hasSize(3)
                .allSatisfy(pod -> {
                    assertThat(pod.getSpec().getNodeName())
                            .as("scheduled by kube-scheduler")
                            .startsWith("kwok-node-");
                    assertThat(pod.getStatus().getPhase()).as("run by kwok").isEqualTo("Running");
                });
        await("disruption budget status").atMost(PATIENCE).untilAsserted(() -> {
            PodDisruptionBudget live = client.policy()
                    .v1()
                    .podDisruptionBudget()
                    .inNamespace(ns.name())
                    .withName("proof")
                    .get();
            assertThat(live.getStatus().getCurrentHealthy()).isEqualTo(3);
            assertThat(live.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        });
    }

    @Test
    void garbageCollectorDeletesTheDependentOfADeletedOwner(KubernetesClient client, TestNamespace ns) {
        ConfigMap owner = client.configMaps()
                .inNamespace(ns.name())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("owner")
                        .endMetadata()
                        .build())
                .create();
        client.configMaps()
                .inNamespace(ns.name())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("dependent")
                        .addNewOwnerReference()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName("owner")
                        .withUid(owner.getMetadata().getUid())
                        .endOwnerReference()
                        .endMetadata()
                        .build())
                .create();

        client.configMaps().inNamespace(ns.name()).withName("owner").delete();

        await("dependent collected")
                .atMost(PATIENCE)
                .untilAsserted(() -> assertThat(client.configMaps()
                                .inNamespace(ns.name())
                                .withName("dependent")
                                .get())
                        .isNull());
    }

    @Test
    void celRuleOfACrdRefusesAViolatingObjectWithItsMessage(KubernetesClient client, TestNamespace ns) {
        // CRDs are cluster-scoped: a group per test namespace keeps parallel runs apart.
        String group = ns.name() + ".proof.tcpfleet.io";
        CustomResourceDefinition crd = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(rangeCrd(group))
                .create();
        try {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .waitUntilCondition(
                            c -> c.getStatus() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(cond -> "Established".equals(cond.getType())
                                                    && "True".equals(cond.getStatus())),
                            PATIENCE.toSeconds(),
                            java.util.concurrent.TimeUnit.SECONDS);
            ResourceDefinitionContext ranges = new ResourceDefinitionContext.Builder()
                    .withGroup(group)
                    .withVersion("v1")
                    .withKind("Range")
                    .withPlural("ranges")
                    .withNamespaced(true)
                    .build();

            client.genericKubernetesResources(ranges)
                    .inNamespace(ns.name())
                    .resource(range(group, "ok", 1, 5))
                    .create();
            assertThatThrownBy(() -> client.genericKubernetesResources(ranges)
                            .inNamespace(ns.name())
                            .resource(range(group, "bad", 5, 1))
                            .create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getMessage())
                                .contains("spec: Invalid value")
                                .contains("min must not exceed max");
                    });
        } finally {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .delete();
        }
    }

    @Test
    void serverSideApplyBySecondFieldManagerConflicts(KubernetesClient client, TestNamespace ns) {
        client.configMaps()
                .inNamespace(ns.name())
                .resource(settings("alice"))
                .fieldManager("alice")
                .serverSideApply();

        assertThatThrownBy(() -> client.configMaps()
                        .inNamespace(ns.name())
                        .resource(settings("bob"))
                        .fieldManager("bob")
                        .serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getMessage())
                            .contains("conflict")
                            .contains("alice")
                            .contains(".data.owner");
                });
        assertThat(client.configMaps()
                        .inNamespace(ns.name())
                        .withName("settings")
                        .get()
                        .getData())
                .containsEntry("owner", "alice");
    }

    @Test
    void restrictedNamespaceRefusesAPodThatViolatesIt(KubernetesClient client, TestNamespace ns) {
        client.namespaces().withName(ns.name()).edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return n;
        });

        assertThatThrownBy(() -> client.pods()
                        .inNamespace(ns.name())
                        .resource(privilegedPod())
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getMessage())
                            .contains("violates PodSecurity \"restricted:latest\"")
                            .contains("privileged");
                });
        assertThat(client.pods().inNamespace(ns.name()).list().getItems()).isEmpty();
    }

    @Test
    void kubectlAuthCanIAnswersForServiceAccountBoundToRole(KubernetesClient client, TestNamespace ns)
            throws Exception {
        client.serviceAccounts()
                .inNamespace(ns.name())
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("reader")
                        .endMetadata()
                        .build())
                .create();
        client.rbac()
                .roles()
                .inNamespace(ns.name())
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("pod-reader")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list", "watch")
                        .endRule()
                        .build())
                .create();
        client.rbac()
                .roleBindings()
                .inNamespace(ns.name())
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("reader-reads-pods")
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("pod-reader")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("reader")
                        .withNamespace(ns.name())
                        .endSubject()
                        .build())
                .create();
        Kubectl kubectl = Kubectl.admin();
        String reader = "system:serviceaccount:" + ns.name() + ":reader";

        Processes.Result list = kubectl.run("auth", "can-i", "list", "pods", "-n", ns.name(), "--as", reader);
        Processes.Result delete = kubectl.run("auth", "can-i", "delete", "pods", "-n", ns.name(), "--as", reader);
        Processes.Result elsewhere = kubectl.run("auth", "can-i", "list", "pods", "-n", "kube-system", "--as", reader);

        assertThat(list.stdout().trim()).as(list.toString()).isEqualTo("yes");
        assertThat(list.exitCode()).isZero();
        assertThat(delete.stdout().trim()).as(delete.toString()).isEqualTo("no");
        assertThat(delete.exitCode()).isEqualTo(1);
        assertThat(elsewhere.stdout().trim()).as(elsewhere.toString()).isEqualTo("no");
    }

    @Test
    void kubectlReadsHealthNodesAndDescriptions(TestNamespace ns) throws Exception {
        Kubectl kubectl = Kubectl.admin();

        Processes.Result readyz = kubectl.run("get", "--raw", "/readyz");
        Processes.Result nodes = kubectl.run("get", "nodes", "--no-headers");
        Processes.Result describe = kubectl.run("describe", "node", "kwok-node-0");
        Processes.Result describeNs = kubectl.run("describe", "namespace", ns.name());

        assertThat(readyz.stdout().trim()).as(readyz.toString()).isEqualTo("ok");
        assertThat(nodes.stdout()).as(nodes.toString()).containsPattern("(?m)^kwok-node-0\\s+Ready\\s");
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        assertThat(describe.stdout())
                .contains("Name:               kwok-node-0")
                .contains("kwok.x-k8s.io/node: fake")
                .containsPattern("Ready\\s+True");
        assertThat(describeNs.stdout())
                .as(describeNs.toString())
                .contains("Name:         " + ns.name())
                .contains("Status:       Active");
    }

    private static CustomResourceDefinition rangeCrd(String group) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("ranges." + group)
                .endMetadata()
                .withNewSpec()
                .withGroup(group)
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Range")
                .withPlural("ranges")
                .withSingular("range")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withOpenAPIV3Schema(new JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties(
                                "spec",
                                new JSONSchemaPropsBuilder()
                                        .withType("object")
                                        .addToProperties(
                                                "min",
                                                new JSONSchemaPropsBuilder()
                                                        .withType("integer")
                                                        .build())
                                        .addToProperties(
                                                "max",
                                                new JSONSchemaPropsBuilder()
                                                        .withType("integer")
                                                        .build())
                                        .addNewXKubernetesValidation()
                                        .withRule("self.min <= self.max")
                                        .withMessage("min must not exceed max")
                                        .endXKubernetesValidation()
                                        .build())
                        .build())
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    private static GenericKubernetesResource range(String group, String name, int min, int max) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(group + "/v1")
                .withKind("Range")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("min", min, "max", max))
                .build();
    }

    private static ConfigMap settings(String owner) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("owner", owner)
                .build();
    }

    private static Pod privilegedPod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("privileged")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(IMAGE)
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
    }
}
