package io.tcpfleet.e2e.deploy;

import static io.tcpfleet.e2e.support.InstalledBase.NAMESPACE;
import static io.tcpfleet.e2e.support.InstalledBase.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** deploy/ and examples/ applied to a real API server with Pod Security admission at restricted. */
@ExtendWith(ClusterExtension.class)
class DeployOnClusterE2E {

    private static Kubectl kubectl;

    @BeforeAll
    static void install() {
        kubectl = InstalledBase.admin();
    }

    @Test
    void operatorPodsAreAdmittedInTheRestrictedNamespace(KubernetesClient client) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Deployment deployment = client.apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .withName(OPERATOR)
                    .get();
            assertThat(deployment.getStatus().getReplicas())
                    .as("pods created by the ReplicaSet")
                    .isEqualTo(2);
        });

        List<Pod> pods = client.pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/name", OPERATOR)
                .list()
                .getItems();
        List<String> refusals = client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> "FailedCreate".equals(e.getReason()))
                .map(Event::getMessage)
                .toList();
        assertThat(pods)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo(OPERATOR));
        assertThat(refusals).as("FailedCreate events in " + NAMESPACE).isEmpty();
    }

    @Test
    void metricsServiceAndDisruptionBudgetFindTheOperatorPods(KubernetesClient client) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            List<EndpointSlice> slices = client.discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(NAMESPACE)
                    .withLabel("kubernetes.io/service-name", OPERATOR + "-metrics")
                    .list()
                    .getItems();
            assertThat(slices)
                    .flatExtracting(EndpointSlice::getEndpoints)
                    .as("metrics endpoints")
                    .hasSize(2);
            assertThat(slices)
                    .flatExtracting(EndpointSlice::getPorts)
                    .extracting(p -> p.getName() + ":" + p.getPort())
                    .containsOnly("metrics:8080");
            PodDisruptionBudget pdb = client.policy()
                    .v1()
                    .podDisruptionBudget()
                    .inNamespace(NAMESPACE)
                    .withName(OPERATOR)
                    .get();
            assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(2);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        });
    }

    @Test
    void restrictedNamespaceRefusesAPodThatIsNotRestricted(KubernetesClient client) {
        // The control: without it the test above would also pass in a namespace that enforces nothing.
        Pod privileged = new PodBuilder()
                .withNewMetadata()
                .withName("privileged-probe")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();

        KubernetesClientException refused = org.junit.jupiter.api.Assertions.assertThrows(
                KubernetesClientException.class,
                () -> client.pods()
                        .inNamespace(NAMESPACE)
                        .resource(privileged)
                        .dryRun()
                        .create());

        assertThat(refused.getMessage()).contains("violates PodSecurity \"restricted:latest\"");
    }

    @Test
    void examplesAreValidTcpServicesForTheInstalledCrd(TestNamespace namespace) {
        Processes.Result result = kubectl.run(
                "apply",
                "--server-side",
                "--dry-run=server",
                "--validate=strict",
                "-n",
                namespace.name(),
                "-f",
                RepoPaths.resolve("examples/echo.yaml").toString(),
                "-f",
                RepoPaths.resolve("examples/proxy.yaml").toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .contains("tcpservice.tcpfleet.io/echo serverside-applied")
                .contains("tcpservice.tcpfleet.io/echo-proxy serverside-applied");
    }

    @Test
    void strictValidationWouldCatchAMisspelledField(TestNamespace namespace, @TempDir Path dir) throws IOException {
        // The control for the test above: an unknown field is refused, not silently pruned.
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(
                typo,
                Files.readString(RepoPaths.resolve("examples/echo.yaml")).replace("idleTimeout:", "idleTimeuot:"));

        Processes.Result result = kubectl.run(
                "apply",
                "--server-side",
                "--dry-run=server",
                "--validate=strict",
                "-n",
                namespace.name(),
                "-f",
                typo.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("idleTimeuot");
    }
}
