package io.tcpfleet.e2e.monitoring;

import io.tcpfleet.testkit.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;

/** A real process (server jar or packaged operator) on loopback whose HTTP metrics we scrape. */
final class ScrapedProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int httpPort;

    private ScrapedProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    static ScrapedProcess start(
            List<String> command, Map<String, String> env, int httpPort, Path log, String readyPath) {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            ScrapedProcess started = new ScrapedProcess(builder.start(), httpPort);
            Awaitility.await(command.get(command.size() - 1) + " ready, log " + log)
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(300))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!started.process.isAlive()) {
                            throw new IllegalStateException("exited " + started.process.exitValue() + ", see " + log);
                        }
                        return started.get(readyPath).statusCode() == 200;
                    });
            return started;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sample names (no labels) of a Prometheus text scrape. */
    Set<String> sampleNames(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        return parseSampleNames(response.body());
    }

    static Set<String> parseSampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(20));
    }
}
