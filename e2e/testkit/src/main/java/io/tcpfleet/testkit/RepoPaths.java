package io.tcpfleet.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of this repository from wherever Maven runs the tests (root or e2e/). */
public final class RepoPaths {

    private RepoPaths() {}

    /** The repository root: the nearest directory upwards holding both .ci/run and e2e/. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(".ci/run")) && Files.isDirectory(d.resolve("e2e"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root (with .ci/run and e2e/) above " + dir);
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
