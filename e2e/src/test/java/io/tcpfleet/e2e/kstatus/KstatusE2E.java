package io.tcpfleet.e2e.kstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.tcpfleet.e2e.kstatus.Kstatus.Verdict;
import io.tcpfleet.e2e.realnode.RealNode;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TcpServices as kstatus (sigs.k8s.io/cli-utils, which Flux, kpt and Config Sync wait with) reads them, every
 * version the API server served while the real operator (this build, confined to the test namespace) worked on
 * them: InProgress until the operator has seen a change and while it rolls out, Current once every replica is ready
 * and current, Failed while it is stalled (a pod no node takes, an image the real node cannot pull).
 */
@ExtendWith(ClusterExtension.class)
class KstatusE2E {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    /**
     * The TcpService's Deployment as read just after a version of the TcpService arrived: its generation, and whether
     * it was rolled out then (every desired replica updated and available, its generation observed).
     */
    record Fleet(long generation, boolean rolledOut) {
        static final Fleet NONE = new Fleet(0, false);

        static Fleet of(Deployment deployment, int desired) {
            if (deployment == null || deployment.getStatus() == null) {
                return NONE;
            }
            DeploymentStatus s = deployment.getStatus();
            long generation = deployment.getMetadata().getGeneration();
            return new Fleet(
                    generation,
                    Long.valueOf(generation).equals(s.getObservedGeneration())
                            && Integer.valueOf(desired).equals(s.getUpdatedReplicas())
                            && Integer.valueOf(desired).equals(s.getAvailableReplicas())
                            && Integer.valueOf(desired).equals(s.getReplicas()));
        }
    }

    /** One version of a TcpService as the API server served it, kstatus' verdict on it, and its fleet then. */
    record Sample(JsonNode object, Verdict verdict, Fleet fleet) {
        long generation() {
            return object.path("metadata").path("generation").asLong();
        }

        long observedGeneration() {
            return object.path("status").path("observedGeneration").asLong(-1);
        }

        String condition(String type) {
            for (JsonNode c : object.path("status").path("conditions")) {
                if (type.equals(c.path("type").asText())) {
                    return c.path("status").asText();
                }
            }
            return "absent";
        }

        @Override
        public String toString() {
            return "generation " + generation() + "/" + observedGeneration() + " Ready=" + condition("Ready")
                    + " Progressing=" + condition("Progressing") + " Reconciling=" + condition("Reconciling")
                    + " Stalled=" + condition("Stalled") + " -> " + verdict + " " + fleet;
        }
    }

    @Test
    void inProgressUntilTheOperatorHasSeenItAndThroughARolloutCurrentOnceReady(
            KubernetesClient client, TestNamespace namespace) {
        String ns = namespace.name();
        Kubectl kubectl = InstalledBase.admin();
        NamespacedOperator.allowLeaseIn(client, ns);
        kubectl.ok(
                "apply",
                "--server-side",
                "-n",
                ns,
                "-f",
                RepoPaths.resolve("examples/echo.yaml").toString());

        Sample unseen = sample(client, ns, "echo");
        assertThat(unseen.verdict().status())
                .as("before any operator wrote status: %s", unseen)
                .isEqualTo("InProgress");
        assertThat(unseen.verdict().message()).contains("latest observed generation is 0");

        AtomicReference<OperatorProcess> operator = new AtomicReference<>();
        try {
            Change creation = untilCurrent(
                    client,
                    ns,
                    "echo",
                    1,
                    () -> operator.set(
                            NamespacedOperator.start("kstatus", NamespacedOperator.kubeconfig(kubectl, dir), ns)));
            Change rollout = untilCurrent(
                    client,
                    ns,
                    "echo",
                    2,
                    () -> kubectl.ok(
                            "patch",
                            "tcps",
                            "echo",
                            "-n",
                            ns,
                            "--type=merge",
                            "-p",
                            "{\"spec\":{\"connections\":{\"idleTimeout\":\"2m\"}}}"));

            for (Change change : List.of(creation, rollout)) {
                List<Sample> served = change.served();
                assertThat(served)
                        .extracting(s -> s.verdict().status())
                        .as("every version served: %s", served)
                        .isSubsetOf("InProgress", "Current")
                        .endsWith("Current");
                assertThat(served)
                        .filteredOn(s -> s.generation() == change.generation()
                                && s.verdict().status().equals("Current"))
                        .as("Current only once the fleet had rolled out to the final Deployment: %s", served)
                        .allSatisfy(s -> assertThat(s.fleet()).isEqualTo(new Fleet(change.deployment(), true)));
                // What Ready alone gave kstatus before: Current while the old pods still served (maxUnavailable 0).
                assertThat(served)
                        .filteredOn(s -> s.condition("Progressing").equals("True"))
                        .as("versions with a rollout under way: %s", served)
                        .allSatisfy(s -> assertThat(s.verdict().status()).isEqualTo("InProgress"));
            }
            // Only the rollout must show one: on kwok a new fleet can be available before the operator's first
            // reconcile (which also creates the Services and the PDB) reads it, and that reconcile then truthfully
            // writes Ready=True first. The reconcile that starts a rollout reads the Deployment milliseconds after
            // patching it, before its controller could have started, readied and swapped the new pods.
            assertThat(rollout.served())
                    .as("the operator's Reconciling=True, not only the generation check, keeps it InProgress")
                    .anySatisfy(s -> {
                        assertThat(s.generation()).isEqualTo(2);
                        assertThat(s.observedGeneration()).isEqualTo(2);
                        assertThat(s.condition("Ready")).isEqualTo("True");
                        assertThat(s.condition("Reconciling")).isEqualTo("True");
                        assertThat(s.verdict().status()).isEqualTo("InProgress");
                    });
        } finally {
            if (operator.get() != null) {
                operator.get().close();
            }
        }
    }

    @Test
    void failedWhileNoNodeTakesItsPodCurrentOnceOneCan(KubernetesClient client, TestNamespace namespace) {
        String ns = namespace.name();
        Kubectl kubectl = InstalledBase.admin();
        NamespacedOperator.allowLeaseIn(client, ns);
        TcpServices tcpServices = new TcpServices(client, ns);

        try (OperatorProcess operator =
                NamespacedOperator.start("kstatus", NamespacedOperator.kubeconfig(kubectl, dir), ns)) {
            tcpServices.apply(TcpServices.echo(
                    "nowhere",
                    1,
                    7000,
                    "1s",
                    "2s",
                    "  pod:\n    nodeSelector:\n      tcpfleet.io/kstatus-e2e: nowhere\n"));
            Verdict stalled = awaitVerdict(client, ns, "nowhere", "Failed");
            assertThat(stalled.message()).contains("Unschedulable").contains("nowhere");

            kubectl.ok(
                    "patch",
                    "tcps",
                    "nowhere",
                    "-n",
                    ns,
                    "--type=merge",
                    "-p",
                    "{\"spec\":{\"pod\":{\"nodeSelector\":null}}}");
            awaitVerdict(client, ns, "nowhere", "Current");
        }
    }

    @Test
    void failedWhileTheRealNodeCannotPullItsImage(KubernetesClient client, TestNamespace namespace) {
        String ns = namespace.name();
        Node real = client.nodes().withName(RealNode.NODE).get();
        assertThat(real)
                .as("the local control plane's real node (e2e/cluster/node.sh)")
                .isNotNull();
        // Where RealNode's namespaces send their pods: the kubelet of the real node, which really pulls.
        client.namespaces().withName(ns).edit(n -> {
            n.getMetadata().getAnnotations().putAll(RealNode.ON_REAL_NODE);
            return n;
        });
        Kubectl kubectl = InstalledBase.admin();
        NamespacedOperator.allowLeaseIn(client, ns);
        TcpServices tcpServices = new TcpServices(client, ns);

        try (OperatorProcess operator =
                NamespacedOperator.start("kstatus", NamespacedOperator.kubeconfig(kubectl, dir), ns)) {
            tcpServices.apply(TcpServices.echo(
                    "no-image", 1, 7000, "1s", "2s", "  image: ghcr.io/tcpfleet/no-such-image:0.0.0\n"));
            Verdict stalled = awaitVerdict(client, ns, "no-image", "Failed");
            assertThat(stalled.message())
                    .containsAnyOf("ImagePullBackOff", "ErrImagePull")
                    .contains("no-such-image");
        }
    }

    private Sample sample(KubernetesClient client, String ns, String name) {
        GenericKubernetesResource tcps = client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(ns)
                .withName(name)
                .get();
        return samples(List.of(new Served(tcps, Fleet.NONE))).get(0);
    }

    /** kstatus' verdicts on these versions, in one run of the tool, each with the fleet as it was then. */
    private List<Sample> samples(List<Served> versions) {
        List<JsonNode> objects = versions.stream()
                .map(v -> (JsonNode) Kstatus.JSON.valueToTree(v.version()))
                .toList();
        JsonNode list = Kstatus.JSON
                .createObjectNode()
                .put("apiVersion", "v1")
                .put("kind", "List")
                .set("items", Kstatus.JSON.valueToTree(objects));
        List<Verdict> verdicts = Kstatus.of(list.toString(), dir);
        assertThat(verdicts).hasSameSizeAs(objects);
        return IntStream.range(0, objects.size())
                .mapToObj(i -> new Sample(
                        objects.get(i), verdicts.get(i), versions.get(i).fleet()))
                .toList();
    }

    private Verdict awaitVerdict(KubernetesClient client, String ns, String name, String status) {
        List<Sample> seen = Collections.synchronizedList(new ArrayList<>());
        try {
            await(ns + "/" + name + " read as " + status + " by kstatus")
                    .atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Sample s = sample(client, ns, name);
                        seen.add(s);
                        return s.verdict().status().equals(status);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    e.getMessage() + "; last seen: " + seen.subList(Math.max(0, seen.size() - 3), seen.size()), e);
        }
        return seen.get(seen.size() - 1).verdict();
    }

    /** A version of the TcpService as the watch delivered it, and its Deployment read right after. */
    private record Served(GenericKubernetesResource version, Fleet fleet) {}

    /** Every version served during a change to {@code generation}, and the Deployment's generation at its end. */
    record Change(List<Sample> served, long generation, long deployment) {}

    /**
     * Every version of the TcpService the API server serves from just before {@code change} until kstatus reads
     * its {@code generation} as Current, each with kstatus' verdict and the fleet as read when it arrived. A watch,
     * not polling: it sees each version however short-lived. The fleet is read after the version was written, so
     * a premature Current can be missed when the fleet became ready in between, but a correct one is never taken for
     * premature: in these changes, a rolled-out fleet stays so.
     */
    private Change untilCurrent(KubernetesClient client, String ns, String name, long generation, Runnable change) {
        List<Served> versions = Collections.synchronizedList(new ArrayList<>());
        try (Watch watch = client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(ns)
                .withName(name)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {
                        int desired = Kstatus.JSON
                                .valueToTree(resource)
                                .path("spec")
                                .path("replicas")
                                .asInt(1);
                        versions.add(new Served(resource, Fleet.of(deployment(client, ns, name), desired)));
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            change.run();
            await(ns + "/" + name + " generation " + generation + " read as Current by kstatus")
                    .atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (versions.isEmpty()) {
                            return false;
                        }
                        Sample latest = samples(List.of(versions.get(versions.size() - 1)))
                                .get(0);
                        return latest.generation() == generation
                                && latest.verdict().status().equals("Current");
                    });
        }
        List<Served> served;
        synchronized (versions) {
            served = List.copyOf(versions);
        }
        return new Change(
                samples(served),
                generation,
                deployment(client, ns, name).getMetadata().getGeneration());
    }

    private static Deployment deployment(KubernetesClient client, String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }
}
