package io.tcpfleet.e2e.rollout;

import io.tcpfleet.e2e.support.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The template's preStop exec hook, run as the kubelet runs it: the container's command with the
 * container's environment, bounded by what is left of the grace period.
 */
final class PreStopHook {

    private static final Path DRAIN_SCRIPT = RepoPaths.resolve("server/src/main/docker/drain");
    private static final String IMAGE_JAR = "/opt/tcpfleet/tcpfleet-server.jar";
    private static final String IMAGE_DRAIN = "/opt/tcpfleet/bin/drain";

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;

    PreStopHook(List<String> command, Map<String, String> env, Path log) {
        this.command = command;
        this.env = env;
        this.log = log;
    }

    /** Its exit code, or empty when it was cut at the budget. */
    OptionalInt run(Duration budget) {
        try {
            ProcessBuilder pb = new ProcessBuilder(translate(command))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().keySet().removeIf(k -> k.startsWith("TCPFLEET_"));
            pb.environment().putAll(env);
            Process hook = pb.start();
            if (!hook.waitFor(budget.toMillis(), TimeUnit.MILLISECONDS)) {
                hook.destroyForcibly();
                return OptionalInt.empty();
            }
            return OptionalInt.of(hook.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** TRANSLATED: the image's drain script, pointed at the jar built here; any other command runs as is. */
    private List<String> translate(List<String> cmd) throws IOException {
        if (cmd.isEmpty() || !IMAGE_DRAIN.equals(cmd.get(0))) {
            return cmd;
        }
        Path local = log.resolveSibling("drain.sh");
        synchronized (PreStopHook.class) {
            if (!Files.exists(local)) {
                Files.writeString(local, Files.readString(DRAIN_SCRIPT).replace(IMAGE_JAR, TcpfleetReplica.JAR.toString()));
            }
        }
        return Stream.concat(Stream.of("sh", local.toString()), cmd.stream().skip(1)).toList();
    }
}
