package io.tcpfleet.e2e.kstatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * kstatus, the library Flux, kpt, Config Sync and cli-utils wait on resources with: the tool
 * e2e/tools/build.sh builds from the pinned sigs.k8s.io/cli-utils (make tools), run on objects as
 * read from the API server.
 */
final class Kstatus {

    static final ObjectMapper JSON = new ObjectMapper();

    /** kstatus' reading of one object: InProgress, Current, Failed, Terminating... and why. */
    record Verdict(String status, String message) {}

    private Kstatus() {}

    /** The binary; an AssertionError (a failure, never a skip) when it has not been built. */
    static Path binary() {
        Path kstatus = RepoPaths.resolve("e2e/tools/bin/kstatus");
        if (!Files.isExecutable(kstatus)) {
            throw new AssertionError(
                    kstatus + " is missing: build it with `make tools` (bash e2e/tools/build.sh); make test does");
        }
        return kstatus;
    }

    /** The verdict on each object in {@code json} (one object, or a List of them), in order. */
    static List<Verdict> of(String json, Path dir) {
        try {
            Path file = Files.createTempFile(dir, "objects", ".json");
            Files.writeString(file, json);
            String out = Processes.run(List.of(binary().toString(), file.toString()))
                    .requireSuccess()
                    .stdout();
            return out.lines().map(Kstatus::verdict).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Verdict verdict(String line) {
        try {
            JsonNode v = JSON.readTree(line);
            return new Verdict(v.path("status").asText(), v.path("message").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(line, e);
        }
    }
}
