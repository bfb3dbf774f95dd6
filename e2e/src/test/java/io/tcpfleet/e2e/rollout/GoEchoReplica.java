package io.tcpfleet.e2e.rollout;

import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The classic Go echo server (e2e/src/test/go/goecho) in the place of a pod, as a server without
 * drain. It gets the same pod lifecycle as tcpfleet, in an image that has no drain command: the
 * template's preStop exec fails at once (the kubelet records FailedPreStopHook and goes on), then
 * SIGTERM, which the Go runtime answers by exiting on the spot.
 */
public final class GoEchoReplica implements Replica {

    private static final Path SOURCE = RepoPaths.resolve("e2e/src/test/go/goecho");
    private static Path binary;

    private final PodTemplate template;
    private final InetSocketAddress endpoint;
    private final Process process;

    private GoEchoReplica(PodTemplate template, InetSocketAddress endpoint, Process process) {
        this.template = template;
        this.endpoint = endpoint;
        this.process = process;
    }

    public static GoEchoReplica start(PodTemplate template, InetAddress podIp, Path logDir) {
        InetSocketAddress endpoint = new InetSocketAddress(podIp, template.tcpPort());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve("goecho-" + podIp.getHostAddress() + ".log");
            Process p = new ProcessBuilder(
                            build().toString(), "-listen", podIp.getHostAddress() + ":" + template.tcpPort())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new GoEchoReplica(template, endpoint, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** go build, once per JVM, into e2e/target. */
    public static synchronized Path build() {
        if (binary == null) {
            Path out = RepoPaths.resolve("e2e/target/goecho/goecho");
            Processes.run(
                            List.of("go", "build", "-C", SOURCE.toString(), "-o", out.toString(), "."),
                            Map.of("GOTOOLCHAIN", "local", "CGO_ENABLED", "0"),
                            300)
                    .requireSuccess();
            binary = out;
        }
        return binary;
    }

    @Override
    public PodTemplate template() {
        return template;
    }

    @Override
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /** TRANSLATED: this image has no admin port, so its readiness is a TCP connect (a tcpSocket probe). */
    @Override
    public boolean ready() {
        try (Socket s = new Socket()) {
            s.connect(endpoint, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** TRANSLATED: this image has no /opt/tcpfleet/bin/drain; exec of a missing command exits 127 at once. */
    @Override
    public OptionalInt preStop(Duration budget) {
        return template.preStop().isEmpty() ? OptionalInt.of(0) : OptionalInt.of(127);
    }

    @Override
    public Process process() {
        return process;
    }
}
