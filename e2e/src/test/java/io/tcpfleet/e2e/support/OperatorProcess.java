package io.tcpfleet.e2e.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator (operator/target/quarkus-app) as a process, prod profile (leader election
 * on), with the kubeconfig and environment it is given: what deploy/ runs in a pod, on loopback.
 */
public final class OperatorProcess implements AutoCloseable {

    private static final Path JAR = RepoPaths.resolve("operator/target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts the operator and waits until /q/health/ready answers 200. */
    public static OperatorProcess start(String name, Path kubeconfig, Map<String, String> env) {
        if (!Files.isReadable(JAR)) {
            throw new IllegalStateException(JAR + " missing: build the operator first (mvn -pl operator -am package)");
        }
        try {
            int port = freePort();
            Path log = RepoPaths.resolve("e2e/target/operators/" + name + "-" + port + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-jar",
                            JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            OperatorProcess operator = new OperatorProcess(builder.start(), port, log);
            operator.awaitReady();
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTTP status of one of the operator's health endpoints, e.g. "ready". */
    public int health(String check) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/" + check))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9, as a node that disappears. */
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    @Override
    public void close() {
        process.destroy();
        // Bounded: a test must not wait for ever on an operator that does not exit.
        if (!waitFor(10)) {
            kill();
        }
    }

    private void awaitReady() {
        await("operator ready, log " + log)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("operator exited " + process.exitValue() + ", see " + log);
                    }
                    return health("ready") == 200;
                });
    }

    private boolean waitFor(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
