package io.tcpfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool to completion and keeps what it printed. */
public final class Processes {

    /** The outcome of one command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** What it printed on both streams, stdout first: for checks that do not care which. */
        public String output() {
            return stdout + stderr;
        }

        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + "\nstdout:\n"
                        + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    private Processes() {}

    public static Result run(List<String> command) {
        return run(command, Map.of(), 120);
    }

    /** Runs command with extra environment; fails when it takes longer than timeoutSeconds. */
    public static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("tcpfleet-cmd", ".out");
            Path err = Files.createTempFile("tcpfleet-cmd", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(env);
                Process process = start(builder, command);
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            String.join(" ", command) + " still running after " + timeoutSeconds + "s");
                }
                return new Result(
                        command,
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * SIGTERM (as the kubelet sends it), then SIGKILL when {@code process} has not exited within
     * {@code grace}; true when it exited by itself. Bounded: shutdown hooks call it, and the test
     * JVM must exit.
     */
    public static boolean stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return false;
    }

    private static Process start(ProcessBuilder builder, List<String> command) throws IOException {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run '" + command.get(0) + "' (is it installed? .ci/run"
                            + " installs the tools the tests need): " + e.getMessage(),
                    e);
        }
    }
}
