package io.tcpfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged operator (operator/target/quarkus-app) as a process of its own, in the prod profile
 * (leader election on) as it runs in a pod, but on loopback: its HTTP port is a free one on
 * 127.0.0.1. What it talks to and how is up to the caller (kubeconfig, system properties, environment).
 */
public final class OperatorProcess implements AutoCloseable {

    private static final String JAR = "operator/target/quarkus-app/quarkus-run.jar";

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts the operator against the API server of {@code kubeconfig}, each of {@code properties}
     * as a {@code -D} system property and {@code env} added to its environment, its output in {@code
     * log}; returns once /q/health/ready answers 200.
     */
    public static OperatorProcess start(
            Path log, Path kubeconfig, Map<String, String> properties, Map<String, String> env) {
        OperatorProcess operator = launch(log, kubeconfig, properties, env);
        operator.awaitReady();
        return operator;
    }

    /** As {@link #start}, without waiting for it to be ready: for an operator expected to stop by itself. */
    public static OperatorProcess launch(
            Path log, Path kubeconfig, Map<String, String> properties, Map<String, String> env) {
        Path jar = RepoPaths.resolve(JAR);
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " missing: build the operator first (mvn -pl operator -am package)");
        }
        try {
            int port = freePort();
            Files.createDirectories(log.toAbsolutePath().getParent());
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port));
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            return new OperatorProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the operator", e);
        }
    }

    private void awaitReady() {
        Awaitility.await("operator ready on /q/health/ready, log " + log)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("operator exited " + process.exitValue() + ", see " + log);
                    }
                    return get("/q/health/ready")
                            .map(r -> r.statusCode() == 200)
                            .orElse(false);
                });
    }

    /** The operator's answer on its HTTP port, or empty while nothing answers there. */
    public Optional<HttpResponse<String>> get(String path) {
        return LoopbackHttp.get(httpPort, path, Duration.ofSeconds(5));
    }

    /** Reconciles this operator has run (its own /q/metrics), NaN when it does not answer. */
    public double reconciliations() {
        return get("/q/metrics")
                .map(r -> r.body()
                        .lines()
                        .filter(l -> l.startsWith("reconciliations_execution_duration_seconds_count{"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum())
                .orElse(Double.NaN);
    }

    public Path log() {
        return log;
    }

    /** What the operator has logged so far. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the operator to exit by itself; its exit code. */
    public int awaitExit(Duration timeout) {
        Awaitility.await("operator exits by itself, log " + log).atMost(timeout).until(() -> !process.isAlive());
        return process.exitValue();
    }

    /** kill -9, as a node that disappears or a crashed pod. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as the kubelet sends it; true when the operator exited by itself, false when it had to be killed. */
    public boolean stop() {
        return Processes.stop(process, Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
