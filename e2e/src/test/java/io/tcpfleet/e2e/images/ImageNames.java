package io.tcpfleet.e2e.images;

import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;

/** The image names of e2e/images/images.env, which e2e/images/build.sh tags the archives with. */
public record ImageNames(String server, String operator) {

    public static ImageNames load() {
        try {
            Map<String, String> env = Files.readAllLines(RepoPaths.resolve("e2e/images/images.env")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("=", 2))
                    .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
            return new ImageNames(env.get("SERVER_IMAGE"), env.get("OPERATOR_IMAGE"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
