package io.tcpfleet.e2e.kstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
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

    /** One version of a TcpService as the API server served it, and kstatus' verdict on it. */
    record Sample(JsonNode object, Verdict verdict) {
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
                    + " Stalled=" + condition("Stalled") + " -> " + verdict;
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
            List<Sample> creation = untilCurrent(
                    client,
                    ns,
                    "echo",
                    1,
                    () -> operator.set(
                            NamespacedOperator.start("kstatus", NamespacedOperator.kubeconfig(kubectl, dir), ns)));
            List<Sample> rollout = untilCurrent(
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

            for (List<Sample> change : List.of(creation, rollout)) {
                assertThat(change)
                        .extracting(s -> s.verdict().status())
                        .as("every version served: %s", change)
                        .isSubsetOf("InProgress", "Current")
                        .endsWith("Current");
                // What Ready alone gave kstatus before: Current while the old pods still served (maxUnavailable 0).
                assertThat(change)
                        .filteredOn(s -> s.condition("Progressing").equals("True"))
                        .as("versions with a rollout under way: %s", change)
                        .isNotEmpty()
                        .allSatisfy(s -> assertThat(s.verdict().status()).isEqualTo("InProgress"));
            }
            assertThat(rollout)
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
        return samples(List.of(tcps)).get(0);
    }

    /** kstatus' verdicts on these versions, in one run of the tool. */
    private List<Sample> samples(List<GenericKubernetesResource> versions) {
        List<JsonNode> objects = versions.stream()
                .map(v -> (JsonNode) Kstatus.JSON.valueToTree(v))
                .toList();
        JsonNode list = Kstatus.JSON
                .createObjectNode()
                .put("apiVersion", "v1")
                .put("kind", "List")
                .set("items", Kstatus.JSON.valueToTree(objects));
        List<Verdict> verdicts = Kstatus.of(list.toString(), dir);
        assertThat(verdicts).hasSameSizeAs(objects);
        return IntStream.range(0, objects.size())
                .mapToObj(i -> new Sample(objects.get(i), verdicts.get(i)))
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

    /**
     * Every version of the TcpService the API server serves from just before {@code change} until kstatus reads
     * its {@code generation} as Current, each with kstatus' verdict. A watch, not polling: it sees each version
     * however short-lived.
     */
    private List<Sample> untilCurrent(
            KubernetesClient client, String ns, String name, long generation, Runnable change) {
        List<GenericKubernetesResource> versions = Collections.synchronizedList(new ArrayList<>());
        try (Watch watch = client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(ns)
                .withName(name)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {
                        versions.add(resource);
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
        synchronized (versions) {
            return samples(List.copyOf(versions));
        }
    }
}
