package io.tcpfleet.e2e.argocd;

import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.app;
import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.apps;
import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.commit;
import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.copyTree;
import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.edit;
import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.git;
import static io.tcpfleet.e2e.argocd.ArgoCdSyncE2E.refresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/argocd/autoscaled.yaml synced by a real Argo CD ({@link ArgoCd}) with the real HPA of
 * kube-controller-manager scaling the TcpService through its scale subresource: the two do not
 * fight over spec.replicas. The Application stays Synced with the HPA's count through refreshes
 * (self-heal has nothing to repair), and a git change to another field is synced without taking
 * the count back (RespectIgnoreDifferences). {@link AutoscaledSyncE2E} replays the same server-side
 * applies by hand; this one runs Argo CD's own diffing and self-heal.
 *
 * <p>The served copy of the tree differs from it in the Application's repoURL and namespace, and in
 * the HPA's minReplicas (4, above git's 2): the local cluster has no metrics API, so the HPA's floor
 * stands in for load. crds/ and deploy/ are installed as other tests install them (InstalledBase); a
 * namespaced operator reconciles tcpfleet-demo, its pods are kwok's. Cleanup as {@link
 * ArgoCdSyncE2E}: the Application is deleted without its resources-finalizer, tcpfleet-demo is
 * deleted.
 */
@ExtendWith(ClusterExtension.class)
class ArgoCdAutoscaledE2E {

    private static final String DEMO = "tcpfleet-demo";
    private static final String APP = "tcpfleet-autoscaled";
    private static final String NAME = "echo-autoscaled";
    private static final int GIT_REPLICAS = 2;
    private static final int HPA_FLOOR = 4;

    @TempDir
    Path dir;

    /** Every spec.replicas the TcpService had, in order, each change once. */
    private final List<Integer> replicasSeen = new CopyOnWriteArrayList<>();

    @Test
    void selfHealAndSyncsLeaveTheHpasReplicaCountAlone(KubernetesClient client, TestNamespace namespace)
            throws IOException {
        Kubectl kubectl = InstalledBase.admin(); // the CRD, and the operator's ServiceAccount and roles
        String argoNs = namespace.name();
        Path repos = dir.resolve("git");
        Path repo = repos.resolve("tcpfleet.git");
        copyTree(repo, "examples");
        git(repo, "init", "-q", "-b", "main");
        Path service = repo.resolve("examples/autoscaling/echo-autoscaled.yaml");
        edit(service, "minReplicas: " + GIT_REPLICAS, "minReplicas: " + HPA_FLOOR);

        ArgoCd argo = ArgoCd.start(
                kubectl, argoNs, repos, List.of(RepoPaths.resolve("deploy/argocd/argocd-cm-patch.yaml")), dir);
        OperatorProcess operator = null;
        Watch watch = null;
        try {
            Path application = repo.resolve("examples/argocd/autoscaled.yaml");
            Files.writeString(
                    application,
                    Files.readString(application)
                            .replace("https://github.com/tcpfleet/tcpfleet.git", argo.gitUrl())
                            .replace("  namespace: argocd\n", "  namespace: " + argoNs + "\n"));
            commit(repo, "tcpfleet as in this tree, the HPA's floor above git's replicas");
            watch = tcpService(client).watch(new ReplicasRecorder());
            kubectl.ok("-n", argoNs, "apply", "-f", application.toString());

            await("Argo CD creates " + DEMO)
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> client.namespaces().withName(DEMO).get() != null);
            NamespacedOperator.allowLeaseIn(client, DEMO);
            operator = NamespacedOperator.start("argocd-autoscaled", NamespacedOperator.kubeconfig(kubectl, dir), DEMO);

            // The first sync creates the TcpService at git's 2; the HPA takes it to its floor.
            // Ready pods are the TcpService's health. The Application's health also counts the HPA's,
            // which is Degraded here (FailedGetResourceMetric: this cluster has no metrics API), so
            // it is not compared; the Events below show Argo CD never blames the TcpService.
            await("the HPA scales " + NAME + " to " + HPA_FLOOR + ", its pods Ready, the Application Synced")
                    .atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(observed(client, argoNs) + ", ready "
                                    + tcpService(client).get().get("status", "readyReplicas"))
                            .isEqualTo("replicas " + HPA_FLOOR + ", " + APP + " Synced, ready " + HPA_FLOOR));
            String stable = "replicas " + HPA_FLOOR + ", " + APP + " Synced";

            // Refreshes compare git with the live object again: the HPA's count is no drift, so
            // self-heal starts no sync and the count stays.
            String operation = lastOperationStarted(client, argoNs);
            for (int i = 0; i < 3; i++) {
                refresh(kubectl, client, argoNs, APP);
            }
            // Longer than a self-heal's wait (5 s) and a periodic resync (--app-resync=15).
            await("the Application stays Synced and Healthy at the HPA's count")
                    .during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(observed(client, argoNs)).isEqualTo(stable));
            assertThat(lastOperationStarted(client, argoNs))
                    .as("no sync since the first")
                    .isEqualTo(operation);

            // A change to another field: Argo CD syncs it, and sends the live count, not git's.
            edit(service, "  port: 7000\n", "  port: 7000\n  connections:\n    idleTimeout: 2m\n");
            String change = commit(repo, "echo-autoscaled: shorter idle timeout");
            refresh(kubectl, client, argoNs, APP);
            await("Argo CD syncs " + change)
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        GenericKubernetesResource app = app(client, argoNs, APP);
                        assertThat((Object) app.get("status", "operationState", "syncResult", "revision"))
                                .isEqualTo(change);
                        assertThat((Object) app.get("status", "operationState", "phase"))
                                .isEqualTo("Succeeded");
                        assertThat(observed(client, argoNs)).isEqualTo(stable);
                    });
            // Argo CD's Events name what made the Application unhealthy: never the TcpService.
            assertThat(client.v1().events().inNamespace(argoNs).list().getItems())
                    .extracting(e -> e.getMessage())
                    .noneMatch(m -> m.contains("Degraded (Caused by tcpfleet.io/TcpService"));
            GenericKubernetesResource live = tcpService(client).get();
            assertThat((Object) live.get("spec", "connections", "idleTimeout")).isEqualTo("2m");
            assertThat(replicas(client)).as("after the sync of " + change).isEqualTo(HPA_FLOOR);
            assertThat(replicasSeen)
                    .as("spec.replicas over the whole test: git's on the first sync, then the HPA's only")
                    .containsExactly(GIT_REPLICAS, HPA_FLOOR);
        } finally {
            if (watch != null) {
                watch.close();
            }
            argo.close();
            // Without its finalizer: deleting it deletes nothing it synced; tcpfleet-demo goes below.
            kubectl.run(
                    "-n",
                    argoNs,
                    "patch",
                    "application",
                    APP,
                    "--type=merge",
                    "-p",
                    "{\"metadata\":{\"finalizers\":null}}");
            apps(client, argoNs).delete();
            client.namespaces().withName(DEMO).delete(); // with the operator still there for its TcpService
            client.namespaces().withName(DEMO).waitUntilCondition(n -> n == null, 2, TimeUnit.MINUTES);
            if (operator != null) {
                operator.close();
            }
        }
    }

    private static Resource<GenericKubernetesResource> tcpService(KubernetesClient client) {
        return client.genericKubernetesResources("tcpfleet.io/v1alpha1", "TcpService")
                .inNamespace(DEMO)
                .withName(NAME);
    }

    private static int replicas(KubernetesClient client) {
        GenericKubernetesResource live = tcpService(client).get();
        Object replicas = live == null ? null : live.get("spec", "replicas");
        return replicas == null ? -1 : ((Number) replicas).intValue();
    }

    /** When the Application's last sync operation started (absent: none ran). */
    private static String lastOperationStarted(KubernetesClient client, String ns) {
        return String.valueOf((Object) app(client, ns, APP).get("status", "operationState", "startedAt"));
    }

    /** What a user looks at: the TcpService's size and the Application's sync */
    private static String observed(KubernetesClient client, String ns) {
        GenericKubernetesResource app = app(client, ns, APP);
        return "replicas " + replicas(client) + ", " + APP + " "
                + (app == null ? "absent" : app.get("status", "sync", "status"));
    }

    private final class ReplicasRecorder implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource service) {
            Object replicas = service.get("spec", "replicas");
            if (action != Action.DELETED
                    && replicas instanceof Number n
                    && (replicasSeen.isEmpty()
                            || !replicasSeen.get(replicasSeen.size() - 1).equals(n.intValue()))) {
                replicasSeen.add(n.intValue());
            }
        }

        @Override
        public void onClose(WatcherException cause) {}
    }
}
