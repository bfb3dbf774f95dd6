package io.tcpfleet.e2e.rollout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints the end of every operator log written during it: a CI run keeps only the
 * console, and an operator that missed a change can only say why in its own log.
 */
public final class OperatorLogsOnFailure implements BeforeEachCallback, TestWatcher {

    private static final int LINES = 40;
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(OperatorLogsOnFailure.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(STORE).put("start", System.currentTimeMillis());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        long start = context.getStore(STORE).get("start", Long.class);
        if (!Files.isDirectory(OperatorUnderTest.LOG_DIR)) {
            return;
        }
        try (Stream<Path> logs = Files.list(OperatorUnderTest.LOG_DIR)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().matches("operator-\\d+\\.log"))
                    .sorted()
                    .toList()) {
                if (Files.getLastModifiedTime(log).toMillis() >= start) {
                    List<String> lines = Files.readAllLines(log);
                    System.out.println("---- last " + Math.min(LINES, lines.size()) + " lines of " + log);
                    lines.subList(Math.max(0, lines.size() - LINES), lines.size())
                            .forEach(System.out::println);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
