package io.tcpfleet.e2e.rollout;

import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * What each scenario saw, appended to e2e/target/reliability/results.md (one table row per run),
 * the source of the table in docs/reliability.md.
 */
public final class Results {

    private Results() {}

    public static void record(String scenario, String done, String seen) {
        Path file = RepoPaths.resolve("e2e/target/reliability/results.md");
        String row = "| " + scenario + " | " + done + " | " + seen + " | " + Instant.now() + " |\n";
        System.out.print("[reliability] " + row);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path logDir(String scenario) {
        return RepoPaths.resolve("e2e/target/reliability/" + scenario);
    }
}
