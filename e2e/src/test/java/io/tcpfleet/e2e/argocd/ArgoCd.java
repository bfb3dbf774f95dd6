package io.tcpfleet.e2e.argocd;

import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Argo CD (v3.6.2, built by e2e/tools/build.sh) run on loopback against the local control
 * plane: its application controller and repo server, an in-memory Redis for their cache, and a
 * {@code git daemon} serving one repository on 127.0.0.1. Argo CD's own namespace is {@code
 * namespace}: its CRDs (from the pinned module's manifests/crds), argocd-cm, argocd-secret and the
 * default AppProject go there as its install puts them in {@code argocd}.
 *
 * <p>Run as Argo CD runs itself for its own end-to-end tests (its Procfile): ARGOCD_FAKE_IN_CLUSTER
 * makes the in-cluster destination {@code https://kubernetes.default.svc} the cluster of KUBECONFIG,
 * and GPG is off. Logs go to e2e/target/argocd/.
 */
final class ArgoCd implements AutoCloseable {

    static final Path BIN = RepoPaths.resolve("e2e/tools/bin");
    private static final Path LOGS = RepoPaths.resolve("e2e/target/argocd");

    private final List<Process> processes = new ArrayList<>();
    private final String gitUrl;

    private ArgoCd(String gitUrl) {
        this.gitUrl = gitUrl;
    }

    /**
     * Serves the git repositories under {@code repos} (tcpfleet.git among them) and starts Argo CD
     * in namespace, with each of {@code argoCdCmPatches} (a ConfigMap patch file) merged into
     * argocd-cm; {@code work} takes the repo server's checkouts.
     */
    static ArgoCd start(Kubectl admin, String namespace, Path repos, List<Path> argoCdCmPatches, Path work) {
        Path binary = BIN.resolve("argocd-e2e");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " missing: run make tools (e2e/tools/build.sh)");
        }
        installCrds(admin);
        int gitPort = freePort();
        ArgoCd argo = new ArgoCd("git://127.0.0.1:" + gitPort + "/tcpfleet.git");
        try {
            configure(admin, namespace, argoCdCmPatches, work);
            Map<String, String> env = new HashMap<>();
            env.put("PATH", BIN + ":" + System.getenv("PATH")); // kustomize, git-verify-wrapper.sh
            env.put("KUBECONFIG", admin.kubeconfig().toString());
            env.put("ARGOCD_FAKE_IN_CLUSTER", "true");
            env.put("ARGOCD_GPG_ENABLED", "false");
            env.put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString()); // repo-server checkouts

            argo.launch(
                    "git-daemon",
                    Map.of(),
                    "git",
                    "daemon",
                    "--export-all",
                    "--reuseaddr",
                    "--informative-errors",
                    "--listen=127.0.0.1",
                    "--port=" + gitPort,
                    "--base-path=" + repos);
            String redis = "127.0.0.1:" + freePort();
            argo.launch("redis", env, binary.toString(), "redis", redis);
            int repoServerPort = freePort();
            argo.launch(
                    "repo-server",
                    env,
                    binary.toString(),
                    "repo-server",
                    "--address=127.0.0.1",
                    "--port=" + repoServerPort,
                    "--metrics-address=127.0.0.1",
                    "--metrics-port=" + freePort(),
                    "--redis=" + redis,
                    // Plaintext on loopback; the default client CA path is refused with --disable-tls.
                    "--disable-tls",
                    "--client-ca-path=");
            awaitListening(gitPort, "git daemon");
            awaitListening(repoServerPort, "repo server");
            argo.launch(
                    "application-controller",
                    env,
                    binary.toString(),
                    "application-controller",
                    "--namespace=" + namespace,
                    "--redis=" + redis,
                    "--repo-server=127.0.0.1:" + repoServerPort,
                    "--repo-server-plaintext",
                    "--metrics-port=" + freePort(),
                    "--app-resync=15",
                    "--status-processors=2",
                    "--operation-processors=2");
            return argo;
        } catch (IOException | RuntimeException e) {
            argo.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The repoURL Applications use for the served repository. */
    String gitUrl() {
        return gitUrl;
    }

    /**
     * Application and AppProject, from the pinned module's manifests/crds (build.sh copies them).
     * Cluster-scoped, so left installed: other runs reuse them.
     */
    private static void installCrds(Kubectl admin) {
        Path crds = BIN.resolve("argocd-crds");
        admin.ok("apply", "--server-side", "--force-conflicts", "-f", crds.toString());
        admin.ok(
                "wait",
                "--for=condition=Established",
                "--timeout=60s",
                "crd/applications.argoproj.io",
                "crd/appprojects.argoproj.io");
    }

    /**
     * argocd-cm and argocd-secret (labelled part-of argocd: Argo CD's settings informer sees only
     * those) and the default AppProject that Argo CD's API server would otherwise create.
     */
    private static void configure(Kubectl admin, String namespace, List<Path> argoCdCmPatches, Path work)
            throws IOException {
        admin.ok("-n", namespace, "create", "configmap", "argocd-cm");
        for (Path patch : argoCdCmPatches) {
            admin.ok(
                    "-n",
                    namespace,
                    "patch",
                    "configmap",
                    "argocd-cm",
                    "--type",
                    "merge",
                    "--patch-file",
                    patch.toString());
        }
        admin.ok(
                "-n", namespace, "create", "secret", "generic", "argocd-secret", "--from-literal=server.secretkey=e2e");
        admin.ok(
                "-n",
                namespace,
                "label",
                "configmap/argocd-cm",
                "secret/argocd-secret",
                "app.kubernetes.io/part-of=argocd");
        Path project = work.resolve("appproject.yaml");
        Files.writeString(project, """
                apiVersion: argoproj.io/v1alpha1
                kind: AppProject
                metadata:
                  name: default
                spec:
                  sourceRepos: ["*"]
                  destinations: [{server: "*", namespace: "*"}]
                  clusterResourceWhitelist: [{group: "*", kind: "*"}]
                """);
        admin.ok("-n", namespace, "apply", "-f", project.toString());
    }

    private void launch(String name, Map<String, String> env, String... command) throws IOException {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        processes.add(builder.start());
    }

    private static void awaitListening(int port, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(200));
            }
        }
        throw new IllegalStateException(what + " not listening on 127.0.0.1:" + port + " after 30s; see " + LOGS);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the controller first (nothing syncs while the rest goes), then the others. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
