package io.tcpfleet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/argocd synced by a real Argo CD (v3.6.2: application controller and repo server, see
 * {@link ArgoCd}) from a git repository on loopback holding this tree's crds/, deploy/ and
 * examples/. Only the repoURL and the Applications' namespace are changed (in the served copy),
 * and examples/argocd/autoscaled.yaml is left out: its HPA cannot be Healthy without a metrics
 * API, which the local cluster lacks, so {@link ArgoCdAutoscaledE2E} covers it on its own.
 * The three Applications are children of one app-of-apps, as examples/argocd says they must be for
 * their sync waves to apply. A namespaced operator reconciles tcpfleet-demo; its pods are kwok's.
 *
 * <p>argocd-cm is what the tree gives users: deploy/argocd/argocd-cm-patch.yaml (the TcpService
 * health check). Without the Application health check of Argo CD's app-of-apps docs (not shipped),
 * the parent does not wait for a child to be Healthy, so the parent's own health says nothing about
 * its children and only the children's are checked.
 *
 * <p>Cluster-wide leftovers are deliberate: the Argo CD CRDs, and crds/ and deploy/ which other
 * tests install the same way (InstalledBase). The Applications are deleted without their
 * resources-finalizer so that nothing they synced is deleted; tcpfleet-demo is deleted.
 */
@ExtendWith(ClusterExtension.class)
class ArgoCdSyncE2E {

    private static final String DEMO = "tcpfleet-demo";
    private static final List<String> CHILDREN = List.of("tcpfleet-crds", "tcpfleet", "tcpfleet-examples");
    private static final String PARENT = "tcpfleet-apps";

    @TempDir
    Path dir;

    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Test
    void syncsTheExamplesInWavesStaysSyncedAndReportsProgressingAndDegraded(
            KubernetesClient client, TestNamespace namespace) throws IOException {
        Kubectl kubectl = InstalledBase.admin(); // the operator's ServiceAccount and roles
        String argoNs = namespace.name();
        Path repos = dir.resolve("git");
        Path repo = repos.resolve("tcpfleet.git");
        copyTree(repo, "crds", "deploy", "examples");
        Files.delete(repo.resolve("examples/argocd/autoscaled.yaml"));
        git(repo, "init", "-q", "-b", "main");

        ArgoCd argo = ArgoCd.start(
                kubectl, argoNs, repos, List.of(RepoPaths.resolve("deploy/argocd/argocd-cm-patch.yaml")), dir);
        OperatorProcess operator = null;
        Watch watch = null;
        try {
            Path applications = repo.resolve("examples/argocd/application.yaml");
            Files.writeString(
                    applications,
                    Files.readString(applications)
                            .replace("https://github.com/tcpfleet/tcpfleet.git", argo.gitUrl())
                            .replace("  namespace: argocd\n", "  namespace: " + argoNs + "\n"));
            commit(repo, "tcpfleet as in this tree");
            watch = apps(client, argoNs).watch(new Recorder());
            kubectl.ok(
                    "-n", argoNs, "apply", "-f", parent(argo.gitUrl(), argoNs).toString());

            await("Argo CD creates " + DEMO)
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> client.namespaces().withName(DEMO).get() != null);
            NamespacedOperator.allowLeaseIn(client, DEMO);
            operator = NamespacedOperator.start("argocd", NamespacedOperator.kubeconfig(kubectl, dir), DEMO);

            // Synced and Healthy, every Application.
            awaitAll(client, argoNs, "Synced", "Healthy", Duration.ofMinutes(5));

            // The waves, in order: Argo CD applies a wave in a later pass than the wave before, so the
            // parent creates the three Applications in wave order, seconds apart (without the
            // annotations all three come in one pass). Here crds/ and deploy/ were installed before,
            // so those two find nothing to sync. The TcpServices come after the examples' Application.
            Instant crds = created(app(client, argoNs, "tcpfleet-crds"));
            Instant operatorApp = created(app(client, argoNs, "tcpfleet"));
            Instant examples = created(app(client, argoNs, "tcpfleet-examples"));
            Instant echoCreated = Instant.parse(client.genericKubernetesResources("tcpfleet.io/v1alpha1", "TcpService")
                    .inNamespace(DEMO)
                    .withName("echo")
                    .get()
                    .getMetadata()
                    .getCreationTimestamp());
            assertThat(crds).isBefore(operatorApp);
            assertThat(operatorApp).isBefore(examples);
            assertThat(examples).isBeforeOrEqualTo(echoCreated);
            List<Map<String, Object>> parentSync =
                    app(client, argoNs, PARENT).get("status", "operationState", "syncResult", "resources");
            assertThat(parentSync).extracting(r -> r.get("name")).containsExactlyElementsOf(CHILDREN);

            // No perpetual OutOfSync from defaults or server-side apply: refreshes compare again and
            // find nothing to do, so self-heal starts no sync.
            Map<String, Object> operations = operationsStarted(client, argoNs);
            int mark = seen.size();
            for (int i = 0; i < 3; i++) {
                for (String name : CHILDREN) {
                    refresh(kubectl, client, argoNs, name);
                }
            }
            awaitAll(client, argoNs, "Synced", "Healthy", Duration.ofSeconds(30));
            assertThat(seen.subList(mark, seen.size())).noneMatch(s -> s.contains("OutOfSync"));
            assertThat(operationsStarted(client, argoNs)).isEqualTo(operations);

            // A rollout from git: Progressing, then Healthy again.
            mark = seen.size();
            edit(repo.resolve("examples/echo.yaml"), "idleTimeout: 5m", "idleTimeout: 2m");
            String rollout = commit(repo, "echo: shorter idle timeout");
            refresh(kubectl, client, argoNs, "tcpfleet-examples");
            await("tcpfleet-examples synced to " + rollout + " and Healthy; seen " + seen)
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> {
                        GenericKubernetesResource app = app(client, argoNs, "tcpfleet-examples");
                        return rollout.equals(app.get("status", "sync", "revision"))
                                && "Synced".equals(app.get("status", "sync", "status"))
                                && "Healthy".equals(app.get("status", "health", "status"));
                    });
            assertThat(seen.subList(mark, seen.size())).contains("tcpfleet-examples Synced Progressing");

            // A change the namespace refuses (a LimitRange caps memory): echo's new pods cannot be
            // created, the operator reports ReplicaFailure, Argo CD shows Degraded.
            kubectl.ok("-n", DEMO, "apply", "-f", limitRange().toString());
            edit(repo.resolve("examples/echo.yaml"), "memory: 256Mi", "memory: 1Gi");
            String broken = commit(repo, "echo: more memory than the namespace allows");
            refresh(kubectl, client, argoNs, "tcpfleet-examples");
            await("tcpfleet-examples Degraded at " + broken + "; seen " + seen)
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> {
                        GenericKubernetesResource app = app(client, argoNs, "tcpfleet-examples");
                        return broken.equals(app.get("status", "sync", "revision"))
                                && "Degraded".equals(app.get("status", "health", "status"));
                    });
            // Argo CD v3 keeps a resource's health out of the Application's status; its Event says
            // which resource made the Application Degraded.
            assertThat(client.v1().events().inNamespace(argoNs).list().getItems())
                    .extracting(e -> e.getMessage())
                    .anyMatch(m -> m.contains("-> Degraded (Caused by tcpfleet.io/TcpService:" + DEMO + "/echo)"));
            List<Map<String, Object>> conditions = client.genericKubernetesResources(
                            "tcpfleet.io/v1alpha1", "TcpService")
                    .inNamespace(DEMO)
                    .withName("echo")
                    .get()
                    .get("status", "conditions");
            assertThat(conditions)
                    .filteredOn(c -> "Degraded".equals(c.get("type")))
                    .singleElement()
                    .satisfies(c -> assertThat((String) c.get("message")).contains("memory"));
        } finally {
            if (watch != null) {
                watch.close();
            }
            argo.close();
            // Without their finalizer: deleting them deletes nothing they synced.
            for (GenericKubernetesResource app : apps(client, argoNs).list().getItems()) {
                kubectl.run(
                        "-n",
                        argoNs,
                        "patch",
                        "application",
                        app.getMetadata().getName(),
                        "--type=merge",
                        "-p",
                        "{\"metadata\":{\"finalizers\":null}}");
            }
            apps(client, argoNs).delete();
            client.namespaces().withName(DEMO).delete(); // with the operator still there for its TcpServices
            client.namespaces().withName(DEMO).waitUntilCondition(n -> n == null, 2, TimeUnit.MINUTES);
            if (operator != null) {
                operator.close();
            }
        }
    }

    /** The app-of-apps: examples/argocd as one Application, synced automatically. */
    private Path parent(String gitUrl, String argoNs) throws IOException {
        Path file = dir.resolve("parent.yaml");
        Files.writeString(file, """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: %s
                spec:
                  project: default
                  source:
                    repoURL: %s
                    targetRevision: main
                    path: examples/argocd
                  destination:
                    server: https://kubernetes.default.svc
                    namespace: %s
                  syncPolicy:
                    automated: {}
                """.formatted(PARENT, gitUrl, argoNs));
        return file;
    }

    private Path limitRange() throws IOException {
        Path file = dir.resolve("limitrange.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: LimitRange
                metadata:
                  name: at-most-512mi
                spec:
                  limits:
                    - type: Container
                      max:
                        memory: 512Mi
                """);
        return file;
    }

    /** Records "NAME SYNC HEALTH" each time an Application's status changes. */
    private final class Recorder implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource app) {
            String state = app.getMetadata().getName() + " " + app.get("status", "sync", "status") + " "
                    + app.get("status", "health", "status");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                seen.add(state);
            }
        }

        @Override
        public void onClose(WatcherException cause) {}
    }

    static NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            apps(KubernetesClient client, String ns) {
        return client.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(ns);
    }

    static GenericKubernetesResource app(KubernetesClient client, String ns, String name) {
        return apps(client, ns).withName(name).get();
    }

    private void awaitAll(KubernetesClient client, String ns, String sync, String health, Duration within) {
        await("every Application " + sync + " and " + health + "; seen " + seen)
                .atMost(within)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Stream.concat(CHILDREN.stream(), Stream.of(PARENT)).allMatch(name -> {
                    GenericKubernetesResource app = app(client, ns, name);
                    return app != null
                            && sync.equals(app.get("status", "sync", "status"))
                            && health.equals(app.get("status", "health", "status"));
                }));
    }

    /** When each child's last sync operation started (absent: none ran). */
    private static Map<String, Object> operationsStarted(KubernetesClient client, String ns) {
        return CHILDREN.stream()
                .collect(java.util.stream.Collectors.toMap(
                        name -> name,
                        name -> String.valueOf(
                                (Object) app(client, ns, name).get("status", "operationState", "startedAt"))));
    }

    /** As a git webhook does: asks for a refresh and waits until the controller has done it. */
    static void refresh(Kubectl kubectl, KubernetesClient client, String ns, String name) {
        kubectl.ok("-n", ns, "annotate", "application", name, "argocd.argoproj.io/refresh=normal", "--overwrite");
        await("refresh of " + name)
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !app(client, ns, name)
                        .getMetadata()
                        .getAnnotations()
                        .containsKey("argocd.argoproj.io/refresh"));
    }

    private static Instant created(GenericKubernetesResource resource) {
        return Instant.parse(resource.getMetadata().getCreationTimestamp());
    }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    /** Commits everything; returns the commit's hash (what Argo CD reports as the revision). */
    static String commit(Path repo, String message) {
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=e2e", "-c", "user.email=e2e@tcpfleet.invalid", "commit", "-q", "-m", message);
        return git(repo, "rev-parse", "HEAD").strip();
    }

    static String git(Path repo, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        return Processes.run(command, Map.of(), 60).requireSuccess().stdout();
    }

    /** Copies these top-level directories of the repository into target. */
    static void copyTree(Path target, String... directories) throws IOException {
        for (String directory : directories) {
            Path source = RepoPaths.resolve(directory);
            try (Stream<Path> paths = Files.walk(source)) {
                paths.forEach(path -> {
                    Path to = target.resolve(directory)
                            .resolve(source.relativize(path).toString());
                    try {
                        if (Files.isDirectory(path)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(path, to);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
