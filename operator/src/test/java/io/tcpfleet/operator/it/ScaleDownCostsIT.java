package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.fleet.DeletionCosts;
import io.tcpfleet.operator.model.TcpServiceResources;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.TestNamespace;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deletion costs the packaged operator writes, with its own ServiceAccount, before a scale-down, on kwok pods:
 * their addresses answer no scrape, so each pod's connections are unknown.
 */
@ExtendWith(ClusterExtension.class)
class ScaleDownCostsIT {

    private static final String USERS_COST = "5";

    @BeforeAll
    static void operatorRuns() {
        SharedOperator.shared();
    }

    @Test
    void unknownPodsGetTheHighestCostAndAUsersOwnCostWins(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "costs", s -> s.setReplicas(3));
        awaitCondition(client, ns.name(), "costs", Condition.READY, Condition.TRUE);
        String usersPod = pods(client, ns.name()).get(0).getMetadata().getName();
        kubectl("annotate", "pod", usersPod, DeletionCosts.COST + "=" + USERS_COST, "-n", ns.name());

        kubectl("scale", "tcps", "costs", "--replicas=2", "-n", ns.name());

        // Unknown pods are worth more than any count, so the pod the user made cheap (5) is the one removed.
        List<Pod> kept = await("2 pods left").until(() -> pods(client, ns.name()), p -> p.size() == 2);
        String highest = String.valueOf(Integer.MAX_VALUE);
        assertThat(kept)
                .noneMatch(p -> p.getMetadata().getName().equals(usersPod))
                .allSatisfy(p -> assertThat(p.getMetadata().getAnnotations())
                        .containsEntry(DeletionCosts.COST, highest)
                        .containsEntry(DeletionCosts.WRITTEN, highest));
    }

    private static List<Pod> pods(KubernetesClient client, String ns) {
        return client
                .pods()
                .inNamespace(ns)
                .withLabel(TcpServiceResources.SERVICE_LABEL, "costs")
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    private static void kubectl(String... args) {
        Processes.Result r = Kubectl.admin().run(args);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
