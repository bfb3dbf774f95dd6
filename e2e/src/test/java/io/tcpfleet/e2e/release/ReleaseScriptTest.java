package io.tcpfleet.e2e.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.e2e.images.ImageNames;
import io.tcpfleet.e2e.support.Helm;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What e2e/release/release.sh (make release) writes, from stand-in image archives (an OCI layout
 * with only its index, enough for the script): every install path names both images by digest, the
 * checksums hold, and a version other than the images' is refused. ReleaseInstallE2E installs a
 * release of the real images.
 */
class ReleaseScriptTest {

    private static final String SERVER_DIGEST = "sha256:" + "1".repeat(64);
    private static final String OPERATOR_DIGEST = "sha256:" + "2".repeat(64);

    @TempDir
    static Path temp;

    private static ImageNames images;
    private static String version;
    private static Path dist;

    @BeforeAll
    static void release() throws IOException {
        images = ImageNames.load();
        version = images.server().substring(images.server().lastIndexOf(':') + 1);
        Path built = Files.createDirectories(temp.resolve("images"));
        Files.writeString(
                built.resolve("digests"),
                standIn(built, "server", images.server(), SERVER_DIGEST) + "\n"
                        + standIn(built, "operator", images.operator(), OPERATOR_DIGEST) + "\n");
        dist = temp.resolve("dist");
        release(built, version).requireSuccess();
    }

    @Test
    void theInstallManifestNamesBothImagesByDigestOnly() throws IOException {
        String manifest = Files.readString(dist.resolve("tcpfleet.yaml"));
        assertThat(manifest)
                .contains("image: " + byDigest(images.operator(), OPERATOR_DIGEST))
                .contains("value: " + byDigest(images.server(), SERVER_DIGEST))
                .doesNotContain(images.operator())
                .doesNotContain(images.server())
                .contains("kind: Deployment");
        assertThat(Files.readString(dist.resolve("tcpfleet.crds.yaml")))
                .contains("kind: \"CustomResourceDefinition\"")
                .contains("name: \"tcpservices.tcpfleet.io\"");
    }

    @Test
    void theChartRendersBothImagesByDigest() {
        String rendered = Helm.run(List.of(
                        "template",
                        "tcpfleet",
                        dist.resolve("tcpfleet-" + version + ".tgz").toString()))
                .requireSuccess()
                .stdout();
        assertThat(rendered)
                .contains("image: " + byDigest(images.operator(), OPERATOR_DIGEST))
                .contains("value: " + byDigest(images.server(), SERVER_DIGEST));
        assertThat(Helm.run(List.of(
                                "show",
                                "chart",
                                dist.resolve("tcpfleet-" + version + ".tgz").toString()))
                        .requireSuccess()
                        .stdout())
                .contains("version: " + version)
                .contains("appVersion: " + version);
    }

    @Test
    void theArchivesNameTheirImageByTagAndByDigest() {
        String index = Processes.run(List.of(
                        "tar",
                        "-xOf",
                        dist.resolve("tcpfleet-server-" + version + ".tar").toString(),
                        "index.json"))
                .requireSuccess()
                .stdout();
        assertThat(index)
                .contains("\"io.containerd.image.name\":\"" + images.server() + "\"")
                .contains("\"io.containerd.image.name\":\"" + byDigest(images.server(), SERVER_DIGEST) + "\"");
    }

    @Test
    void theChecksumsCoverEveryArtifact() {
        Processes.Result sums = Processes.run(List.of("bash", "-c", "cd '" + dist + "' && sha256sum -c SHA256SUMS"));
        assertThat(sums.exitCode()).as(sums.output()).isZero();
        assertThat(sums.stdout().lines())
                .containsExactlyInAnyOrder(
                        "tcpfleet.crds.yaml: OK",
                        "tcpfleet.yaml: OK",
                        "tcpfleet-" + version + ".tgz: OK",
                        "tcpfleet-server-" + version + ".tar: OK",
                        "tcpfleet-operator-" + version + ".tar: OK");
    }

    @Test
    void aVersionOtherThanTheImagesIsRefusedInOneLine() {
        for (String wrong : List.of("1.2", "v" + version, version + ".1", "99.0.0")) {
            Processes.Result result = release(temp.resolve("images"), wrong);
            assertThat(result.exitCode()).as(wrong).isNotZero();
            assertThat(result.stderr().strip())
                    .as(wrong)
                    .startsWith("release: VERSION=" + wrong + " ")
                    .doesNotContain("\n");
        }
    }

    private static Processes.Result release(Path built, String version) {
        return Processes.run(
                List.of("bash", RepoPaths.resolve("e2e/release/release.sh").toString(), version, dist.toString()),
                Map.of(
                        "TCPFLEET_IMAGES_OUT",
                        built.toString(),
                        "HELM",
                        Helm.binary().toString()),
                60);
    }

    /** An archive holding an OCI layout's index naming ref, and its line of the digests file. */
    private static String standIn(Path dir, String name, String ref, String digest) throws IOException {
        Path layout = Files.createDirectories(dir.resolve(name));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "size":1,"digest":"%s","annotations":{"io.containerd.image.name":"%s"}}]}""".formatted(digest, ref));
        Path archive = dir.resolve(name + ".tar");
        Processes.run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "oci-layout", "index.json"))
                .requireSuccess();
        return archive + " " + ref + " " + digest;
    }

    private static String byDigest(String taggedImage, String digest) {
        return taggedImage.substring(0, taggedImage.lastIndexOf(':')) + "@" + digest;
    }
}
