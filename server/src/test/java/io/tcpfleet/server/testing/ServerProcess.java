package io.tcpfleet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** The real jar in its own JVM, its stdout and stderr written to files under target/server-process. */
public final class ServerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;

    private ServerProcess(Process process, Path stdoutFile, Path stderrFile) {
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("tcpfleet.server.jar", "target/tcpfleet-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first (mvn verify does)");
        }
        return jar;
    }

    public static ServerProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid",
                "-Xmx256m",
                "-jar",
                jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("TCPFLEET_"));
        builder.environment().putAll(env);
        // Files, not pipes: Process.destroy() (our SIGTERM) closes the pipes, and the drain's log
        // lines come after it.
        Path dir = Files.createDirectories(Path.of("target", "server-process"));
        Path out = Files.createTempFile(dir, "stdout-", ".log");
        Path err = Files.createTempFile(dir, "stderr-", ".log");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new ServerProcess(builder.start(), out, err);
    }

    /** Starts on loopback ephemeral ports and waits for the "listening" line. */
    public static ServerProcess startListening(String... args) throws IOException {
        return startListening(Map.of(), args);
    }

    /** As {@link #startListening(String...)}, with these variables in its environment. */
    public static ServerProcess startListening(Map<String, String> env, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(
                "--bind",
                "127.0.0.1",
                "--admin-bind",
                "127.0.0.1",
                "--port",
                "0",
                "--admin-port",
                "0",
                "--log-level",
                "debug"));
        all.addAll(List.of(args));
        ServerProcess p = start(env, all.toArray(String[]::new));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> p.logLine("tcpfleet server listening") != null || !p.process.isAlive());
        if (p.logLine("tcpfleet server listening") == null) {
            throw new IllegalStateException("server did not start: " + p.stdout() + p.stderr());
        }
        return p;
    }

    public Process process() {
        return process;
    }

    /** Waits up to {@code timeout} for the process to end; its exit code. */
    public int awaitExit(Duration timeout) {
        Awaitility.await().atMost(timeout).until(() -> !process.isAlive());
        return process.exitValue();
    }

    /** The lines on stderr, once there is one (the file may lag the exit). */
    public List<String> awaitStderr() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !stderr().isEmpty());
        return stderr();
    }

    public List<String> stdout() {
        return lines(stdoutFile);
    }

    public List<String> stderr() {
        return lines(stderrFile);
    }

    private static List<String> lines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> complete = new ArrayList<>(List.of(text.split("\n", -1)));
            complete.remove(complete.size() - 1); // an unfinished last line is not read yet
            return complete;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public InetSocketAddress address() {
        return parseAddress(logLine("tcpfleet server listening").get("address").asText());
    }

    public InetSocketAddress admin() {
        return parseAddress(logLine("tcpfleet server listening").get("admin").asText());
    }

    /** The first JSON log line with this message, waiting for the output to be read (the process may have ended). */
    public JsonNode awaitLogLine(String message) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logLine(message) != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no log line '" + message + "' in stdout " + stdout() + " stderr " + stderr(), e);
        }
        return logLine(message);
    }

    /** The JSON log line with this message whose {@code field} is {@code value}, waiting for it. */
    public JsonNode awaitLogLine(String message, String field, String value) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(message, field, value) != null);
        return find(message, field, value);
    }

    private JsonNode find(String message, String field, String value) {
        for (String line : stdout()) {
            try {
                JsonNode node = JSON.readTree(line);
                if (message.equals(node.path("message").asText())
                        && value.equals(node.path(field).asText())) {
                    return node;
                }
            } catch (IOException notJson) {
                // nonJsonLines() reports these
            }
        }
        return null;
    }

    /** The first JSON log line with this message, or null. */
    public JsonNode logLine(String message) {
        for (String line : stdout()) {
            try {
                JsonNode node = JSON.readTree(line);
                if (message.equals(node.path("message").asText())) {
                    return node;
                }
            } catch (IOException notJson) {
                // nonJsonLines() reports these
            }
        }
        return null;
    }

    /** stdout lines that are not JSON objects: there should be none. */
    public List<String> nonJsonLines() {
        List<String> bad = new ArrayList<>();
        for (String line : stdout()) {
            try {
                if (!JSON.readTree(line).isObject()) {
                    bad.add(line);
                }
            } catch (IOException e) {
                bad.add(line);
            }
        }
        return bad;
    }

    private static InetSocketAddress parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(text.substring(colon + 1)));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
