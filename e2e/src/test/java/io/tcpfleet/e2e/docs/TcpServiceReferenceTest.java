package io.tcpfleet.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The TcpService reference (docs/tcpservice.md) is written by hand; this keeps it true to crds/: the
 * same fields, and the same defaults.
 */
class TcpServiceReferenceTest {

    private static final String PAGE = "docs/tcpservice.md";
    private static final String BEGIN = "<!-- tcpservice-reference:begin -->";
    private static final String END = "<!-- tcpservice-reference:end -->";
    /** Kubernetes' own types and the conditions list: documented by Kubernetes, not expanded here. */
    private static final Set<String> NOT_EXPANDED = Set.of("spec.resources", "status.conditions");

    record Row(String field, String type, String defaultValue, String meaning) {}

    @Test
    void tableListsExactlyTheFieldsOfTheCrd() throws IOException {
        Set<String> documented = new TreeSet<>(rows().keySet());
        Set<String> inCrd = new TreeSet<>(crdFields().keySet());

        Set<String> missing = new TreeSet<>(inCrd);
        missing.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(inCrd);
        assertThat(missing)
                .as("fields of crds/ missing from the table in " + PAGE)
                .isEmpty();
        assertThat(unknown)
                .as("rows of the table in " + PAGE + " that are not fields of crds/")
                .isEmpty();
    }

    @Test
    void tableDefaultsAreTheCrdDefaults() throws IOException {
        Map<String, Row> rows = rows();

        crdFields().forEach((field, schema) -> {
            JsonNode crdDefault = schema.get("default");
            String documented = rows.get(field) == null ? null : rows.get(field).defaultValue();
            if (crdDefault != null && crdDefault.isValueNode()) {
                assertThat(documented).as("default of " + field).isEqualTo("`" + crdDefault.asText() + "`");
            } else if (documented != null) {
                assertThat(documented).as(field + " has no default in the CRD").doesNotMatch("`[^`]*`");
            }
        });
    }

    @Test
    void everyRowSaysWhatTheFieldIsFor() throws IOException {
        assertThat(rows().values())
                .allSatisfy(r -> assertThat(r.meaning()).as(r.field()).isNotBlank());
    }

    /** The table's rows, by field path. */
    static Map<String, Row> rows() throws IOException {
        String page = Files.readString(RepoPaths.resolve(PAGE));
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        assertThat(begin).as(PAGE + " has no " + BEGIN).isNotNegative();
        assertThat(end).as(PAGE + " has no " + END).isGreaterThan(begin);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : page.substring(begin + BEGIN.length(), end).lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            assertThat(cells).as("a row with four cells: " + line).hasSize(4);
            String field = cells[0].trim().replace("`", "");
            Row row = new Row(field, cells[1].trim(), cells[2].trim(), cells[3].trim());
            assertThat(rows.put(field, row)).as("row for " + field + " twice").isNull();
        }
        return rows;
    }

    /** The CRD's fields: every property under spec and status, down to leaves or NOT_EXPANDED. */
    static Map<String, JsonNode> crdFields() {
        JsonNode crd = Manifests.readYaml(RepoPaths.resolve("crds/tcpservices.tcpfleet.io-v1.yml"));
        JsonNode root = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (String top : List.of("spec", "status")) {
            collect(top, root.path("properties").path(top), fields);
        }
        return fields;
    }

    private static void collect(String path, JsonNode schema, Map<String, JsonNode> out) {
        JsonNode properties = schema.path("properties");
        boolean leaf = properties.isEmpty() || NOT_EXPANDED.contains(path) || path.startsWith("spec.pod.");
        if (leaf && path.contains(".")) {
            out.put(path, schema);
            return;
        }
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            collect(path + "." + name, properties.path(name), out);
        }
    }
}
