package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.TcpServices;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator as deploy/ runs it: two real pods, one leader, the other taking over. */
@ExtendWith(RealNode.Extension.class)
class OperatorPodsE2E {

    private static final String LEASE = "tcpfleet-operator-lease";
    private static final String NAME = "leader";

    @Test
    void leaderPodRestartConvergesWithoutDuplicateChildren(RealNode node) {
        KubernetesClient client = node.client();
        List<Pod> operators = operatorPods(client);
        assertThat(operators)
                .as("deploy/'s two replicas, Ready through their /q/health probes")
                .hasSize(2)
                .allSatisfy(p -> {
                    assertThat(p.getSpec().getNodeName()).isEqualTo(RealNode.NODE);
                    assertThat(ready(p)).isTrue();
                    assertThat(p.getSpec().getServiceAccountName()).isEqualTo(RealNode.OPERATOR);
                    assertThat(p.getSpec().getContainers().get(0).getEnv())
                            .noneMatch(e -> e.getName().equals("KUBECONFIG"));
                });
        // The Lease's Role is bound to the operator's ServiceAccount alone: a holder proves the pod
        // acted with that account's token.
        String leader = await("a leader among the operator pods; events: " + events(client))
                .atMost(Duration.ofMinutes(1))
                .until(
                        () -> holder(client),
                        h -> h != null && names(operatorPods(client)).contains(h));

        node.tcpServices().apply(TcpServices.echo(NAME, 1, 7000, "1s", "5s", ""));
        awaitChildren(client, 1);
        client.pods().inNamespace(RealNode.SYSTEM).withName(leader).delete();

        // The standby, or the leader's replacement if it starts first: another live operator pod.
        await("another operator pod takes over")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> holder(client),
                        h -> h != null
                                && !h.equals(leader)
                                && names(operatorPods(client)).contains(h));
        node.tcpServices().apply(TcpServices.echo(NAME, 2, 7000, "1s", "5s", ""));
        awaitChildren(client, 2);
        await("deploy/ back at two Ready operator pods")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> operatorPods(client).stream()
                                .filter(OperatorPodsE2E::ready)
                                .count()
                        == 2);
    }

    /** Exactly one Deployment, one traffic Service and one metrics Service, at the wanted replicas. */
    private static void awaitChildren(KubernetesClient client, int replicas) {
        await("children of " + NAME + " at " + replicas + " replicas")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    var deployments = client.apps()
                            .deployments()
                            .inNamespace(RealNode.FLEETS)
                            .withLabel("tcpfleet.io/service", NAME)
                            .list()
                            .getItems();
                    assertThat(deployments).hasSize(1);
                    assertThat(deployments.get(0).getSpec().getReplicas()).isEqualTo(replicas);
                    assertThat(client.services()
                                    .inNamespace(RealNode.FLEETS)
                                    .withLabel("tcpfleet.io/service", NAME)
                                    .list()
                                    .getItems())
                            .extracting(s -> s.getMetadata().getName())
                            .containsExactlyInAnyOrder(NAME, NAME + "-metrics");
                });
    }

    private static List<Pod> operatorPods(KubernetesClient client) {
        return client
                .pods()
                .inNamespace(RealNode.SYSTEM)
                .withLabel("app.kubernetes.io/name", RealNode.OPERATOR)
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    /** What happened to the operator's pods, for a failure's message. */
    private static List<String> events(KubernetesClient client) {
        return client.v1().events().inNamespace(RealNode.SYSTEM).list().getItems().stream()
                .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage())
                .toList();
    }

    private static boolean ready(Pod p) {
        return p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String holder(KubernetesClient client) {
        Lease lease =
                client.leases().inNamespace(RealNode.SYSTEM).withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }
}
