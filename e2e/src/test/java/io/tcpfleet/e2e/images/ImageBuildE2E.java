package io.tcpfleet.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code e2e/images/build.sh} (make images), run twice from the same commit into two directories:
 * the same digests, and images as their one definition (src/main/image/image.json) says.
 */
class ImageBuildE2E {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path first;
    private static String firstDigests;
    private static String secondDigests;

    @BeforeAll
    static void buildTwice() throws IOException {
        first = dir.resolve("first");
        Path second = dir.resolve("second");
        firstDigests = build(first);
        secondDigests = build(second);
    }

    private static String build(Path out) throws IOException {
        Processes.run(
                        List.of("bash", RepoPaths.resolve("e2e/images/build.sh").toString()),
                        Map.of("TCPFLEET_IMAGES_OUT", out.toString()),
                        600)
                .requireSuccess();
        return Files.readString(out.resolve("digests")).replace(out.toString(), "OUT");
    }

    @Test
    void theSameCommitBuildsTheSameDigestsTwice() {
        assertThat(firstDigests.lines()).hasSize(2).allMatch(l -> l.matches("OUT/\\w+\\.tar \\S+ sha256:[0-9a-f]{64}"));
        assertThat(secondDigests).isEqualTo(firstDigests);
    }

    @Test
    void serverImageRunsAsImageJsonSaysAsANonRootUser() throws IOException {
        Image server = Image.open(first.resolve("server.tar"), dir.resolve("server"));
        JsonNode spec = JSON.readTree(
                RepoPaths.resolve("server/src/main/image/image.json").toFile());

        assertThat(server.name()).isEqualTo(ImageNames.load().server());
        assertThat(server.config().at("/config/Entrypoint")).isEqualTo(spec.path("entrypoint"));
        assertThat(server.config().at("/config/User").asText()).isEqualTo("10001:10001");
        assertThat(server.files())
                .contains(
                        "-r--r--r-- 0/0 opt/tcpfleet/tcpfleet-server.jar",
                        "-r-xr-xr-x 0/0 opt/tcpfleet/bin/drain",
                        "drwxr-xr-x 0/0 opt/tcpfleet/plugins/",
                        "-rwxr-xr-x 0/0 opt/java/bin/java");
        assertThat(server.files())
                .filteredOn(f -> !f.contains(" 0/0 "))
                .as("files not owned by root")
                .isEmpty();
    }

    @Test
    void bothImagesCarryTheOciAnnotationsAndShareTheirBaseLayers() throws IOException {
        Image server = Image.open(first.resolve("server.tar"), dir.resolve("s"));
        Image operator = Image.open(first.resolve("operator.tar"), dir.resolve("o"));

        for (Image image : List.of(server, operator)) {
            JsonNode annotations = image.manifest().path("annotations");
            assertThat(annotations.path("org.opencontainers.image.version").asText())
                    .isEqualTo("0.1.0");
            assertThat(annotations.path("org.opencontainers.image.revision").asText())
                    .matches("[0-9a-f]{40}(-dirty)?");
            assertThat(annotations.path("org.opencontainers.image.source").asText())
                    .startsWith("https://");
            assertThat(annotations.path("org.opencontainers.image.licenses").asText())
                    .isEqualTo("Apache-2.0");
        }
        assertThat(operator.name()).isEqualTo(ImageNames.load().operator());
        assertThat(layers(operator).subList(0, 2))
                .as("root filesystem and Java runtime")
                .isEqualTo(layers(server).subList(0, 2));
    }

    private static List<String> layers(Image image) {
        List<String> digests = new ArrayList<>();
        image.manifest()
                .path("layers")
                .forEach(l -> digests.add(l.path("digest").asText()));
        return digests;
    }

    /** An OCI archive unpacked: its one manifest, config and the files of every layer. */
    private record Image(Path dir, String name, JsonNode manifest, JsonNode config) {

        static Image open(Path archive, Path into) throws IOException {
            Files.createDirectories(into);
            Processes.run(List.of("tar", "-xf", archive.toString(), "-C", into.toString()))
                    .requireSuccess();
            JsonNode entry = JSON.readTree(into.resolve("index.json").toFile())
                    .path("manifests")
                    .get(0);
            JsonNode manifest =
                    JSON.readTree(blob(into, entry.path("digest").asText()).toFile());
            JsonNode config = JSON.readTree(
                    blob(into, manifest.at("/config/digest").asText()).toFile());
            return new Image(
                    into, entry.at("/annotations/io.containerd.image.name").asText(), manifest, config);
        }

        /** "mode owner path" of every file in every layer, as tar lists them. */
        List<String> files() {
            List<String> files = new ArrayList<>();
            for (JsonNode layer : manifest.path("layers")) {
                String listing = Processes.run(List.of(
                                "tar",
                                "--numeric-owner",
                                "-tvzf",
                                blob(dir, layer.path("digest").asText()).toString()))
                        .requireSuccess()
                        .stdout();
                listing.lines()
                        .map(l -> l.split("\\s+"))
                        .forEach(f -> files.add(f[0] + " " + f[1] + " " + f[f.length - 1].replaceFirst("^\\./", "")));
            }
            return files;
        }

        private static Path blob(Path dir, String digest) {
            return dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        }
    }
}
