package io.tcpfleet.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.PodTemplate;
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator process SIGKILLed in the middle of a rollout, a change made while it is down, then restarted. */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class OperatorCrashE2E {

    private static final String SERVICE_LABEL = "tcpfleet.io/service";

    @Test
    void operatorKilledDuringARolloutConvergesAfterRestartWithNoDuplicateOrOrphanedChildren(
            KubernetesClient client, TestNamespace ns) {
        int port = Loopback.freePort();
        PodTemplate v1 = Scenario.template(client, ns, TcpServices.echo("crash", 3, port, "1s", "2s", ""));
        awaitRolledOut(client, ns, v1.configHash());

        TcpServices tcps = new TcpServices(client, ns.name());
        tcps.apply(TcpServices.echo("crash", 3, port, "1s", "3s", ""));
        PodTemplate v2 = tcps.awaitTemplate("crash", v1.configHash());
        OperatorUnderTest.crashShared(); // the controller-manager is rolling v2's pods right now
        // Made while no operator runs: only the restarted one can reconcile it.
        tcps.apply(TcpServices.echo("crash", 3, port, "1s", "4s", ""));
        long generation = tcps(client, ns).getMetadata().getGeneration();
        OperatorUnderTest.shared();

        PodTemplate v3 = tcps.awaitTemplate("crash", v2.configHash());
        awaitRolledOut(client, ns, v3.configHash());
        Awaitility.await("TcpService Ready for generation " + generation)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> readyAt(tcps(client, ns), generation));

        GenericKubernetesResource owner = tcps(client, ns);
        Map<String, String> selector = Map.of(SERVICE_LABEL, "crash");
        List<HasMetadata> children = Stream.<HasMetadata>concat(
                        Stream.concat(
                                client
                                        .apps()
                                        .deployments()
                                        .inNamespace(ns.name())
                                        .withLabels(selector)
                                        .list()
                                        .getItems()
                                        .stream(),
                                client
                                        .services()
                                        .inNamespace(ns.name())
                                        .withLabels(selector)
                                        .list()
                                        .getItems()
                                        .stream()),
                        client
                                .policy()
                                .v1()
                                .podDisruptionBudget()
                                .inNamespace(ns.name())
                                .withLabels(selector)
                                .list()
                                .getItems()
                                .stream())
                .toList();
        long pods = client.pods().inNamespace(ns.name()).withLabels(selector).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .count();
        Results.record(
                "operator killed during a rollout",
                "SIGKILL while the Deployment rolled to v2, v3 applied while" + " it was down, operator restarted",
                "converged to v3 (generation " + generation + "); children "
                        + children.stream()
                                .map(c -> c.getKind() + "/" + c.getMetadata().getName())
                                .toList() + "; pods " + pods);

        assertThat(children)
                .extracting(c -> c.getKind() + "/" + c.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "Deployment/crash", "Service/crash", "Service/crash-metrics", "PodDisruptionBudget/crash");
        assertThat(children)
                .allSatisfy(c -> assertThat(c.getMetadata().getOwnerReferences())
                        .extracting(OwnerReference::getUid)
                        .containsExactly(owner.getMetadata().getUid()));
        assertThat(pods).as("no duplicate pods once rolled out").isEqualTo(3);
    }

    private static GenericKubernetesResource tcps(KubernetesClient client, TestNamespace ns) {
        return client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(ns.name())
                .withName("crash")
                .get();
    }

    @SuppressWarnings("unchecked")
    private static boolean readyAt(GenericKubernetesResource r, long generation) {
        Map<String, Object> status =
                (Map<String, Object>) r.getAdditionalProperties().get("status");
        if (status == null
                || !Long.valueOf(generation)
                        .equals(((Number) status.getOrDefault("observedGeneration", -1)).longValue())) {
            return false;
        }
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
        return conditions.stream().anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    /** The Deployment has rolled out the template with this hash: every replica updated and available. */
    private static void awaitRolledOut(KubernetesClient client, TestNamespace ns, String hash) {
        Awaitility.await("Deployment rolled out to " + hash)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Deployment d = client.apps()
                            .deployments()
                            .inNamespace(ns.name())
                            .withName("crash")
                            .get();
                    var st = d.getStatus();
                    return st != null
                            && hash.equals(PodTemplate.of(d).configHash())
                            && d.getMetadata().getGeneration().equals(st.getObservedGeneration())
                            && Integer.valueOf(3).equals(st.getUpdatedReplicas())
                            && Integer.valueOf(3).equals(st.getAvailableReplicas())
                            && Integer.valueOf(3).equals(st.getReplicas());
                });
    }
}
