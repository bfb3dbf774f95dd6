package io.tcpfleet.e2e.rollout;

import io.tcpfleet.e2e.support.Processes;
import io.tcpfleet.e2e.support.RepoPaths;
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
import java.util.concurrent.TimeUnit;

/**
 * The classic Go echo server (e2e/src/test/go/goecho) in the place of a pod, as a server without
 * drain. It gets the same pod lifecycle as tcpfleet: the template's preStop runs (the drain command
 * finds no admin port and fails at once, as it would in a pod of such an image, and the kubelet goes
 * on), then SIGTERM, which the Go runtime answers by exiting on the spot.
 */
public final class GoEchoReplica implements Replica {

    private static final Path SOURCE = RepoPaths.resolve("e2e/src/test/go/goecho");
    private static Path binary;

    private final PodTemplate template;
    private final PreStopHook hook;
    private final InetSocketAddress endpoint;
    private final Process process;

    private GoEchoReplica(PodTemplate template, PreStopHook hook, InetSocketAddress endpoint, Process process) {
        this.template = template;
        this.hook = hook;
        this.endpoint = endpoint;
        this.process = process;
    }

    public static GoEchoReplica start(PodTemplate template, InetAddress podIp, Path logDir) {
        InetSocketAddress endpoint = new InetSocketAddress(podIp, template.tcpPort());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve("goecho-" + podIp.getHostAddress() + ".log");
            Process p = new ProcessBuilder(build().toString(), "-listen", podIp.getHostAddress() + ":" + template.tcpPort())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new GoEchoReplica(template, preStop(template, log), endpoint, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's hook with the admin port translated as for tcpfleet; nothing listens there. */
    private static PreStopHook preStop(PodTemplate template, Path log) {
        Map<String, String> env = new java.util.HashMap<>(template.env());
        env.put("TCPFLEET_ADMIN_BIND", "127.0.0.1");
        env.put("TCPFLEET_ADMIN_PORT", String.valueOf(Loopback.freePort()));
        return new PreStopHook(template.preStop(), env, log);
    }

    /** go build, once per JVM, into e2e/target. */
    public static synchronized Path build() {
        if (binary == null) {
            Path out = RepoPaths.resolve("e2e/target/goecho/goecho");
            Processes.run(List.of("go", "build", "-C", SOURCE.toString(), "-o", out.toString(), "."),
                    Map.of("GOTOOLCHAIN", "local", "CGO_ENABLED", "0"), 300).requireSuccess();
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

    @Override
    public OptionalInt preStop(Duration budget) {
        return hook.run(budget);
    }

    @Override
    public void terminate() {
        process.destroy();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public OptionalInt awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }
}
