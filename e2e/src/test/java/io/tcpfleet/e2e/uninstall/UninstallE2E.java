package io.tcpfleet.e2e.uninstall;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What docs/uninstall.md promises, on the local control plane (kwok pods): a fleet outlives its
 * operator and keeps its Deployment, Services and PDB; nothing reconciles until an operator runs
 * again, which then picks the fleet up where it is; {@code kubectl delete tcpservice --cascade=orphan}
 * keeps the children, and applying the TcpService again adopts them; a plain delete removes them
 * through their ownerReferences, as deleting the CRD does for every TcpService.
 */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class UninstallE2E {

    private static final String SERVICE_LABEL = "tcpfleet.io/service";
    private static final List<String> CHILDREN_OF_FLEET =
            List.of("Deployment/fleet", "PodDisruptionBudget/fleet", "Service/fleet", "Service/fleet-metrics");

    @Test
    void fleetsOutliveTheOperatorAndAnOrphanDeleteAndGoWithAPlainDelete(KubernetesClient client, TestNamespace ns) {
        // The shared operator watches every namespace: with it running, "no operator" cannot be shown.
        OperatorUnderTest.stopShared();
        OperatorUnderTest.installCrd();
        Kubectl kubectl = Kubectl.admin();
        TcpServices tcps = new TcpServices(client, ns.name());
        Map<String, String> fleetUids;

        try (OperatorProcess operator = startOperator(ns)) {
            tcps.apply(TcpServices.echo("fleet", 2, Loopback.freePort(), "1s", "2s", ""));
            awaitReady(kubectl, ns, "fleet");
            fleetUids = children(client, ns, "fleet");
            assertThat(fleetUids).as("children of a Ready TcpService").containsOnlyKeys(CHILDREN_OF_FLEET);
        }

        // The operator is gone (as after `kubectl delete -k deploy/` or `helm uninstall`).
        assertThat(children(client, ns, "fleet"))
                .as("the fleet's children with no operator running")
                .isEqualTo(fleetUids);
        // The EndpointSlice controller follows the pods' readiness a moment after the TcpService reads Ready.
        Awaitility.await("2 ready endpoints of the fleet's Service")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(readyEndpoints(client, ns, "fleet"))
                        .as("ready endpoints of the fleet's Service")
                        .isEqualTo(2));

        // Kubernetes still heals the Deployment: a deleted pod is replaced by its ReplicaSet.
        String pod = client.pods()
                .inNamespace(ns.name())
                .withLabel(SERVICE_LABEL, "fleet")
                .list()
                .getItems()
                .get(0)
                .getMetadata()
                .getName();
        kubectl.ok("-n", ns.name(), "delete", "pod", pod, "--wait=false");
        Awaitility.await("a replacement for pod " + pod + " and 2 ready replicas again")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> podNames(client, ns, "fleet").stream().noneMatch(pod::equals)
                        && readyReplicas(client, ns, "fleet") == 2);

        // ...but nothing reconciles the TcpService: a change waits for an operator, status stands still.
        long observed = observedGeneration(tcps(client, ns, "fleet"));
        tcps.apply(TcpServices.echo("fleet", 3, port(client, ns, "fleet"), "1s", "2s", ""));
        assertThat(tcps(client, ns, "fleet").getMetadata().getGeneration())
                .as("generation after the change")
                .isGreaterThan(observed);
        Awaitility.await("the Deployment stays at 2 replicas and the status at generation " + observed)
                .during(Duration.ofSeconds(15))
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> deployment(client, ns, "fleet").getSpec().getReplicas() == 2
                        && observedGeneration(tcps(client, ns, "fleet")) == observed);

        try (OperatorProcess operator = startOperator(ns)) {
            Awaitility.await("the operator started again scales the same Deployment to 3")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> readyReplicas(client, ns, "fleet") == 3);
            assertThat(children(client, ns, "fleet"))
                    .as("the same children, adopted, not re-created")
                    .isEqualTo(fleetUids);

            // Orphan delete, with the operator running: the TcpService goes, its fleet stays.
            kubectl.ok("-n", ns.name(), "delete", "tcpservice", "fleet", "--cascade=orphan");
            assertThat(kubectl.run("-n", ns.name(), "get", "tcpservice", "fleet")
                            .exitCode())
                    .as("the TcpService after an orphan delete")
                    .isNotZero();
            Awaitility.await("the orphaned children stay, with no owner")
                    .during(Duration.ofSeconds(10))
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> children(client, ns, "fleet").equals(fleetUids)
                            && owners(client, ns, "fleet").isEmpty());
            assertThat(readyReplicas(client, ns, "fleet"))
                    .as("ready replicas after the orphan delete")
                    .isEqualTo(3);
            assertThat(readyEndpoints(client, ns, "fleet"))
                    .as("ready endpoints after the orphan delete")
                    .isEqualTo(3);

            // Applying the TcpService again puts the same objects back under it.
            tcps.apply(TcpServices.echo("fleet", 3, port(client, ns, "fleet"), "1s", "2s", ""));
            awaitReady(kubectl, ns, "fleet");
            String uid = tcps(client, ns, "fleet").getMetadata().getUid();
            Awaitility.await("the orphaned children adopted by the new TcpService " + uid)
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> owners(client, ns, "fleet").equals(List.of(uid)));
            assertThat(children(client, ns, "fleet"))
                    .as("adopted, not re-created")
                    .isEqualTo(fleetUids);

            // A plain delete (what deleting the CRD does to every TcpService): the garbage collector
            // follows the ownerReferences and removes the children, and the pods with the Deployment.
            kubectl.ok("-n", ns.name(), "delete", "tcpservice", "fleet");
            Awaitility.await("the children and pods of a deleted TcpService are gone")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> children(client, ns, "fleet").isEmpty()
                            && podNames(client, ns, "fleet").isEmpty());
        }
    }

    /** An operator for this namespace alone, its Lease there too: no other test's operator holds it. */
    private static OperatorProcess startOperator(TestNamespace ns) {
        return OperatorUnderTest.start(LocalCluster.shared().kubeconfig(), ns.name(), ns.name());
    }

    private static void awaitReady(Kubectl kubectl, TestNamespace ns, String name) {
        kubectl.ok("-n", ns.name(), "wait", "--for=condition=Ready", "--timeout=180s", "tcpservice/" + name);
    }

    private static GenericKubernetesResource tcps(KubernetesClient client, TestNamespace ns, String name) {
        return client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(ns.name())
                .withName(name)
                .get();
    }

    @SuppressWarnings("unchecked")
    private static long observedGeneration(GenericKubernetesResource tcps) {
        Map<String, Object> status =
                (Map<String, Object>) tcps.getAdditionalProperties().getOrDefault("status", Map.of());
        return ((Number) status.getOrDefault("observedGeneration", -1)).longValue();
    }

    private static Deployment deployment(KubernetesClient client, TestNamespace ns, String name) {
        return client.apps().deployments().inNamespace(ns.name()).withName(name).get();
    }

    private static int readyReplicas(KubernetesClient client, TestNamespace ns, String name) {
        Deployment d = deployment(client, ns, name);
        Integer ready =
                d == null || d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }

    private static int port(KubernetesClient client, TestNamespace ns, String name) {
        return client.services()
                .inNamespace(ns.name())
                .withName(name)
                .get()
                .getSpec()
                .getPorts()
                .get(0)
                .getPort();
    }

    /** Ready addresses behind the Service {@code name}, from its EndpointSlices. */
    private static long readyEndpoints(KubernetesClient client, TestNamespace ns, String name) {
        return client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(ns.name())
                .withLabel("kubernetes.io/service-name", name)
                .list()
                .getItems()
                .stream()
                .flatMap(s -> s.getEndpoints() == null ? Stream.<Endpoint>empty() : s.getEndpoints().stream())
                .filter(e -> e.getConditions() != null
                        && Boolean.TRUE.equals(e.getConditions().getReady()))
                .count();
    }

    private static List<String> podNames(KubernetesClient client, TestNamespace ns, String name) {
        return client.pods().inNamespace(ns.name()).withLabel(SERVICE_LABEL, name).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName())
                .toList();
    }

    /** The Deployment, Services and PDB labelled for {@code name}, as Kind/name to uid. */
    private static Map<String, String> children(KubernetesClient client, TestNamespace ns, String name) {
        Map<String, String> uids = new TreeMap<>();
        childObjects(client, ns, name)
                .filter(c -> c.getMetadata().getDeletionTimestamp() == null)
                .forEach(c -> uids.put(
                        c.getKind() + "/" + c.getMetadata().getName(),
                        c.getMetadata().getUid()));
        return uids;
    }

    /** The distinct owner uids of those children. */
    private static List<String> owners(KubernetesClient client, TestNamespace ns, String name) {
        return childObjects(client, ns, name)
                .flatMap(c -> c.getMetadata().getOwnerReferences().stream())
                .map(OwnerReference::getUid)
                .distinct()
                .toList();
    }

    private static Stream<HasMetadata> childObjects(KubernetesClient client, TestNamespace ns, String name) {
        Map<String, String> selector = Map.of(SERVICE_LABEL, name);
        return Stream.of(
                        client.apps()
                                .deployments()
                                .inNamespace(ns.name())
                                .withLabels(selector)
                                .list()
                                .getItems(),
                        client.services()
                                .inNamespace(ns.name())
                                .withLabels(selector)
                                .list()
                                .getItems(),
                        client.policy()
                                .v1()
                                .podDisruptionBudget()
                                .inNamespace(ns.name())
                                .withLabels(selector)
                                .list()
                                .getItems())
                .flatMap(List::stream)
                .map(HasMetadata.class::cast);
    }
}
