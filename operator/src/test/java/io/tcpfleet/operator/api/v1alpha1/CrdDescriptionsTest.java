package io.tcpfleet.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl explain documents every field of a TcpService: each node of the committed CRD's schema
 * (GeneratedCrdIT keeps it equal to what the build generates) has a description.
 */
class CrdDescriptionsTest {

    static final Path CRD = Path.of("..", "crds", "tcpservices.tcpfleet.io-v1.yml");

    static CustomResourceDefinitionVersion version;

    @BeforeAll
    static void readCrd() throws IOException {
        try (InputStream in = Files.newInputStream(CRD)) {
            version = Serialization.unmarshal(in, CustomResourceDefinition.class)
                    .getSpec()
                    .getVersions()
                    .get(0);
        }
    }

    @Test
    void everySchemaNodeHasADescription() {
        List<String> bare = new ArrayList<>();
        List<String> all = new ArrayList<>();
        walk("", version.getSchema().getOpenAPIV3Schema(), all, bare);

        assertThat(all).as("schema nodes walked").hasSizeGreaterThan(200);
        assertThat(bare)
                .as(
                        "schema nodes without a description in %s. Describe our fields with"
                                + " @JsonPropertyDescription, our classes with @JsonClassDescription; a Kubernetes type"
                                + " takes Kubernetes' wording from kubernetes-descriptions.json (add the type to"
                                + " operator/kubernetes-descriptions.sh and run it), see SchemaDescriptions",
                        CRD)
                .isEmpty();
    }

    @Test
    void embeddedKubernetesTypesSayWhatKubernetesSays() {
        JSONSchemaProps pod = property(version.getSchema().getOpenAPIV3Schema(), "spec", "pod");
        JSONSchemaProps toleration = property(pod, "tolerations").getItems().getSchema();

        assertThat(property(toleration, "key").getDescription())
                .startsWith("Key is the taint key that the toleration applies to.");
        assertThat(property(pod, "env").getItems().getSchema().getDescription())
                .startsWith("EnvVar represents an environment variable");
    }

    @Test
    void everyPrinterColumnHasADescriptionAndWideShowsMore() {
        List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();

        assertThat(columns)
                .allSatisfy(c -> assertThat(c.getDescription())
                        .as("description of column " + c.getName())
                        .isNotBlank());
        assertThat(columns.stream()
                        .filter(c -> c.getPriority() != null && c.getPriority() > 0)
                        .map(CustomResourceColumnDefinition::getName))
                .as("columns only kubectl get -o wide shows")
                .containsExactly("Updated", "Degraded", "Endpoint", "Image");
    }

    /** Every property, items and additionalProperties node under path, depth first. */
    private static void walk(String path, JSONSchemaProps node, List<String> all, List<String> bare) {
        all.add(path);
        if (node.getDescription() == null || node.getDescription().isBlank()) {
            bare.add(path.isEmpty() ? "(root)" : path);
        }
        if (node.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> p : node.getProperties().entrySet()) {
                walk(path.isEmpty() ? p.getKey() : path + "." + p.getKey(), p.getValue(), all, bare);
            }
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            walk(path + "[]", node.getItems().getSchema(), all, bare);
        }
        if (node.getAdditionalProperties() != null
                && node.getAdditionalProperties().getSchema() != null) {
            walk(path + "{}", node.getAdditionalProperties().getSchema(), all, bare);
        }
    }

    private static JSONSchemaProps property(JSONSchemaProps node, String... names) {
        JSONSchemaProps at = node;
        for (String name : names) {
            at = at.getProperties().get(name);
        }
        return at;
    }
}
