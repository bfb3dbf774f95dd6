package io.tcpfleet.e2e.rollout;

import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
public final class PreStopHook {

    private static final Path DRAIN_SCRIPT = RepoPaths.resolve("server/src/main/image/drain");
    private static final String IMAGE_ROOT = "/opt/tcpfleet";

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;

    public PreStopHook(List<String> command, Map<String, String> env, Path log) {
        this.command = command;
        this.env = env;
        this.log = log;
    }

    /** Its exit code, or empty when it was cut at the budget. */
    public OptionalInt run(Duration budget) {
        try {
            ProcessBuilder pb = new ProcessBuilder(translate(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            log.resolveSibling(log.getFileName() + ".prestop").toFile()));
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

    /**
     * TRANSLATED: a command under the image's /opt/tcpfleet runs from a local copy of that layout
     * (bin/drain as shipped by the server module, tcpfleet-server.jar linked to the jar built here);
     * any other command runs as is.
     */
    private static List<String> translate(List<String> cmd) throws IOException {
        if (cmd.isEmpty() || !cmd.get(0).startsWith(IMAGE_ROOT + "/")) {
            return cmd;
        }
        Path root = imageRoot();
        Path local = root.resolve(cmd.get(0).substring(IMAGE_ROOT.length() + 1));
        return Stream.concat(Stream.of("sh", local.toString()), cmd.stream().skip(1))
                .toList();
    }

    private static synchronized Path imageRoot() throws IOException {
        Path root = RepoPaths.resolve("e2e/target/reliability/image/opt/tcpfleet");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(DRAIN_SCRIPT, root.resolve("bin/drain"), StandardCopyOption.REPLACE_EXISTING);
        Path jar = root.resolve("tcpfleet-server.jar");
        Files.deleteIfExists(jar);
        Files.createSymbolicLink(jar, TcpfleetReplica.JAR);
        return root;
    }
}
