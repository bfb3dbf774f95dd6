package io.tcpfleet.e2e.rollout;

import io.tcpfleet.e2e.support.Kubectl;
import io.tcpfleet.e2e.support.RepoPaths;
import io.tcpfleet.testkit.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * The packaged operator (operator/target/quarkus-app) as a process against the local control plane,
 * prod profile (leader election on, its Lease in a namespace of its own so operators of other tests
 * do not hold it). The CRD comes from crds/, as a user installs it.
 */
public final class OperatorUnderTest implements AutoCloseable {

    public static final String LEASE_NAMESPACE = "tcpfleet-e2e-reliability";
    /** Where each started operator writes its log, operator-N.log. */
    public static final Path LOG_DIR = RepoPaths.resolve("e2e/target/reliability");

    private static final Path JAR = RepoPaths.resolve("operator/target/quarkus-app/quarkus-run.jar");
    private static final AtomicInteger STARTS = new AtomicInteger();
    private static OperatorUnderTest shared;

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorUnderTest(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** The operator for this JVM, started on first use (the CRD applied first). */
    public static synchronized OperatorUnderTest shared() {
        if (shared == null || !shared.process.isAlive()) {
            installCrd();
            shared = start(LocalCluster.shared().kubeconfig(), LEASE_NAMESPACE, null);
            Runtime.getRuntime().addShutdownHook(new Thread(OperatorUnderTest::stopShared));
        }
        return shared;
    }

    public static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** kill -9 of the shared operator, as a crashed pod. */
    public static synchronized void crashShared() {
        if (shared != null) {
            shared.process.destroyForcibly();
            waitQuietly(shared.process);
            shared = null;
        }
    }

    public static void installCrd() {
        Kubectl kubectl = new Kubectl(LocalCluster.shared().kubeconfig());
        kubectl.ok(
                "apply",
                "--server-side",
                "--force-conflicts",
                "-f",
                RepoPaths.resolve("crds/tcpservices.tcpfleet.io-v1.yml").toString());
        kubectl.ok("wait", "--for=condition=Established", "--timeout=60s", "crd/tcpservices.tcpfleet.io");
        kubectl.run("create", "namespace", LEASE_NAMESPACE); // already there on the second run: fine
    }

    /**
     * An operator of its own (close it when done): talking to the API server of {@code kubeconfig},
     * its Lease in {@code leaseNamespace}, watching only {@code watchNamespace} (all when null).
     */
    public static OperatorUnderTest start(Path kubeconfig, String leaseNamespace, String watchNamespace) {
        if (!Files.isReadable(JAR)) {
            throw new IllegalStateException(JAR + " missing: build the operator first (mvn -pl operator -am package)");
        }
        try {
            int port = Loopback.freePort();
            Path log = LOG_DIR.resolve("operator-" + STARTS.incrementAndGet() + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-Dquarkus.http.host=127.0.0.1",
                            "-Dquarkus.http.port=" + port,
                            "-Dtcpfleet.operator.namespace=" + leaseNamespace,
                            "-jar",
                            JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            if (watchNamespace != null) {
                pb.environment().put("QUARKUS_OPERATOR_SDK_CONTROLLERS_TCPSERVICE_NAMESPACES", watchNamespace);
            }
            OperatorUnderTest op = new OperatorUnderTest(pb.start(), port, log);
            op.awaitReady();
            return op;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("operator ready (" + log + ")")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("operator exited " + process.exitValue() + ", see " + log);
                    }
                    return http.send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://127.0.0.1:" + httpPort + "/q/health/ready"))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    /** Reconciles this operator has run (its own /q/metrics), NaN when it does not answer. */
    public double reconciliations() {
        try {
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.lines()
                    .filter(l -> l.startsWith("reconciliations_execution_duration_seconds_count{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            // Bounded: this also runs from a shutdown hook, and the test JVM must exit.
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static List<String> describe() {
        return shared == null
                ? List.of("no operator")
                : List.of("operator pid " + shared.process.pid(), shared.log.toString());
    }
}
