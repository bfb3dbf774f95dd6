package io.tcpfleet.operator.it;

import io.tcpfleet.testkit.LocalCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * The packaged operator (target/quarkus-app) as its own process against the local control plane,
 * in the prod profile: leader election on, exactly as it would run in a pod. One at a time per JVM.
 */
final class OperatorProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final String TEST_IMAGE = "tcpfleet/tcpfleet-server:it";
    private static final AtomicInteger STARTS = new AtomicInteger();
    private static OperatorProcess shared;
    private static boolean hookInstalled;
    /** Whether the last stopped operator exited by itself on SIGTERM (instead of being killed). */
    static volatile boolean lastStopWasClean;

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** The running operator for this JVM, started (with the CRD installed) on first use. */
    static synchronized OperatorProcess shared() {
        if (shared == null || !shared.process.isAlive()) {
            TestCluster.installTcpServiceCrd();
            OperatorRbac.install();
            shared = start();
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(OperatorProcess::stopShared));
                hookInstalled = true;
            }
        }
        return shared;
    }

    /** Stops the shared operator, runs the given step while none runs, and starts a fresh one. */
    static synchronized OperatorProcess restart(Runnable whileStopped) {
        stopShared();
        whileStopped.run();
        return shared();
    }

    static synchronized void stopShared() {
        if (shared != null) {
            lastStopWasClean = shared.stop();
            shared = null;
        }
    }

    private static OperatorProcess start() {
        if (!Files.isReadable(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " missing: run `mvn package` in operator/ first");
        }
        try {
            int port = freePort();
            Path log = Path.of("target", "operator-it-" + STARTS.incrementAndGet() + ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    // The Lease of leader election lives in the operator's namespace, as in a pod.
                    "-Dquarkus.kubernetes-client.namespace=" + OperatorRbac.NAMESPACE,
                    // Every request as the operator's ServiceAccount: the committed RBAC is what is tested.
                    "-Dkubernetes.impersonate.username=" + OperatorRbac.USER,
                    "-Dtcpfleet.operator.server-image=" + TEST_IMAGE,
                    "-jar",
                    JAR.toString()));
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment()
                    .put("KUBECONFIG", LocalCluster.shared().kubeconfig().toString());
            OperatorProcess op = new OperatorProcess(pb.start(), port, log);
            op.awaitReady();
            return op;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator", e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("operator " + log + " ready on /q/health/ready")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("operator exited " + process.exitValue() + ", see " + log);
                    }
                    return get(http, "/q/health/ready")
                            .map(r -> r.statusCode() == 200)
                            .orElse(false);
                });
    }

    /** The operator's answer on its HTTP port, or empty while nothing listens there. */
    Optional<HttpResponse<String>> get(String path) {
        return get(HttpClient.newHttpClient(), path);
    }

    private Optional<HttpResponse<String>> get(HttpClient http, String path) {
        try {
            return Optional.of(http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }

    /** SIGTERM, as the kubelet sends it; true when the operator exited by itself, false when it had to be killed. */
    boolean stop() {
        process.destroy();
        try {
            if (process.waitFor(20, TimeUnit.SECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
