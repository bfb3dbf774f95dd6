package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.RepoPaths;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator pod that cannot start, on the real node, as an admin meets it in {@code kubectl
 * describe pod} and {@code kubectl logs}. Each test installs deploy/ (one replica) beside the other
 * tests' operators: namespaces of its own, a prefixed ClusterRoleBinding, one watched namespace; its
 * operator never gets as far as reconciling, so it cannot disturb them.
 */
@ExtendWith(ClusterExtension.class)
class StuckOperatorPodE2E {

    private static final String PREFIX = "tcpfleet-stuck-";
    private static final String LEASE_BINDING = "tcpfleet-operator-leader-election";
    private static final String LEASE_PROBLEM = "leader election cannot start";

    /**
     * deploy/ without its Lease RoleBinding: the one line naming the namespace and the setting is
     * the termination message, and the only thing the log says about it (no stack traces).
     */
    @Test
    void anOperatorThatMayNotWriteItsLeaseSaysWhyInOneLine(KubernetesClient client) {
        String system = PREFIX + "lease-system";
        Kubectl kubectl = install(
                client,
                system,
                o -> o instanceof RoleBinding
                        && LEASE_BINDING.equals(o.getMetadata().getName()),
                List.of());

        Pod pod = awaitRestarted(client, system);
        ContainerStateTerminated terminated = lastTerminated(pod);
        String message = terminated.getMessage();

        assertThat(terminated.getExitCode()).isEqualTo(1);
        assertThat(message)
                .as("lastState.terminated.message of %s", pod.getMetadata().getName())
                .contains(LEASE_PROBLEM)
                .contains("namespace '" + system + "'")
                .contains("tcpfleet.operator.namespace")
                .doesNotContain("\n");
        assertThat(kubectl.ok("-n", system, "describe", "pod", pod.getMetadata().getName()))
                .contains("Terminated")
                .contains(message);

        String logs = kubectl.ok("-n", system, "logs", pod.getMetadata().getName(), "--previous");
        assertThat(logs.lines().filter(line -> line.contains(LEASE_PROBLEM)))
                .as("kubectl logs --previous:%n%s", logs)
                .singleElement()
                .asString()
                .contains(message);
        assertThat(logs.lines())
                .as("kubectl logs --previous:%n%s", logs)
                .noneMatch(line -> line.startsWith("\tat "))
                .noneMatch(line -> line.contains("Exception occurred while acquiring lock"));
    }

    /**
     * A failure the operator does not put into words itself (here a setting Quarkus cannot convert)
     * leaves /dev/termination-log empty: FallbackToLogsOnError shows the log's last lines instead.
     */
    @Test
    void anyOtherCrashAtStartShowsItsLastLogLinesAsTheTerminationMessage(KubernetesClient client) {
        String system = PREFIX + "crash-system";
        install(
                client,
                system,
                o -> false,
                List.of(new EnvVar("QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS", "many", null)));

        ContainerStateTerminated terminated = lastTerminated(awaitRestarted(client, system));

        assertThat(terminated.getExitCode()).isNotZero();
        assertThat(terminated.getMessage())
                .as("lastState.terminated.message")
                .contains("concurrent-reconciliation-threads")
                .contains("many");
    }

    /**
     * deploy/ with one replica into system (its watched namespace: system without -system), without
     * the objects left out, env added to the operator's.
     */
    private static Kubectl install(
            KubernetesClient client, String system, Predicate<HasMetadata> leftOut, List<EnvVar> env) {
        assertThat(client.nodes().withName(RealNode.NODE).get())
                .as("the real node %s (e2e/cluster/up.sh starts it as root)", RealNode.NODE)
                .isNotNull();
        Kubectl kubectl = InstalledBase.crds();
        String fleets = system.replace("-system", "");
        for (String name : List.of(system, fleets)) {
            // a previous run's, still being deleted, would refuse new objects
            await(name + " gone or active").atMost(Duration.ofMinutes(2)).until(() -> {
                Namespace ns = client.namespaces().withName(name).get();
                return ns == null || !"Terminating".equals(ns.getStatus().getPhase());
            });
            client.namespaces().resource(RealNode.realNodeNamespace(name)).serverSideApply();
        }
        String rendered = kubectl.ok("kustomize", RepoPaths.resolve("deploy").toString());
        for (HasMetadata o : RealNode.beside(client, rendered, system, fleets, system + "-")) {
            if (leftOut.test(o)) {
                continue;
            }
            if (o instanceof Deployment deployment) {
                deployment.getSpec().setReplicas(1);
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .addAll(env);
            }
            client.resource(o)
                    .fieldManager("stuck-operator-e2e")
                    .forceConflicts()
                    .serverSideApply();
        }
        return kubectl;
    }

    private static Pod awaitRestarted(KubernetesClient client, String system) {
        return await("the operator pod in " + system + " restarted after its first exit")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> operatorPod(client, system), p -> p != null && lastTerminated(p) != null);
    }

    private static Pod operatorPod(KubernetesClient client, String system) {
        return client
                .pods()
                .inNamespace(system)
                .withLabel("app.kubernetes.io/name", RealNode.OPERATOR)
                .list()
                .getItems()
                .stream()
                .findFirst()
                .orElse(null);
    }

    private static ContainerStateTerminated lastTerminated(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null || statuses.isEmpty() || statuses.get(0).getLastState() == null) {
            return null;
        }
        return statuses.get(0).getLastState().getTerminated();
    }

    @AfterAll
    static void removeWhatIsLeft() {
        Kubectl kubectl = Kubectl.admin();
        for (String system : List.of(PREFIX + "lease-system", PREFIX + "crash-system")) {
            kubectl.run("delete", "clusterrolebinding", system + "-" + RealNode.OPERATOR, "--ignore-not-found");
            kubectl.run(
                    "delete", "namespace", system, system.replace("-system", ""), "--ignore-not-found", "--wait=false");
        }
    }
}
