package io.tcpfleet.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One name per image everywhere a user or the operator meets it: the names make images tags. */
class ImageNamesTest {

    private static final ImageNames NAMES = ImageNames.load();

    @Test
    void deployRunsTheOperatorImageAndDefaultsToTheServerImage() {
        JsonNode container = Manifests.kustomize("deploy")
                .get("Deployment", "tcpfleet-operator")
                .at("/spec/template/spec/containers/0");

        assertThat(container.path("image").asText()).isEqualTo(NAMES.operator());
        assertThat(container.path("env").findParents("name").stream()
                        .filter(e -> e.path("name").asText().equals("TCPFLEET_OPERATOR_SERVER_IMAGE"))
                        .map(e -> e.path("value").asText()))
                .containsExactly(NAMES.server());
    }

    @Test
    void theOperatorsOwnDefaultIsTheServerImage() throws IOException {
        String config = Files.readString(
                RepoPaths.resolve("operator/src/main/java/io/tcpfleet/operator/config/OperatorConfig.java"));

        assertThat(config).contains("@WithDefault(\"" + NAMES.server() + "\")");
    }

    @Test
    void theTagIsTheProjectVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>tcpfleet-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(RepoPaths.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        String release = version.group(1).replace("-SNAPSHOT", "");

        assertThat(NAMES.server()).endsWith(":" + release);
        assertThat(NAMES.operator()).endsWith(":" + release);
    }

    @Test
    void noOtherTcpfleetImageIsNamedInTheReadmeDocsDeployOrExamples() throws IOException {
        Pattern image = Pattern.compile("[\\w./-]*tcpfleet-(server|operator):[\\w.-]+");
        List<Path> files = new ArrayList<>();
        for (String file : new String[] {
            "README.md",
            "operator/README.md",
            "deploy/operator/operator-deployment.yaml",
            "examples/echo.yaml",
            "examples/proxy.yaml"
        }) {
            files.add(RepoPaths.resolve(file));
        }
        try (Stream<Path> docs = Files.walk(RepoPaths.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        for (Path file : files) {
            Matcher m = image.matcher(Files.readString(file));
            while (m.find()) {
                if (m.group().endsWith(":VERSION")) {
                    continue; // a placeholder for the release being made (docs/release.md)
                }
                assertThat(m.group()).as(file.toString()).isIn(NAMES.server(), NAMES.operator());
            }
        }
    }
}
