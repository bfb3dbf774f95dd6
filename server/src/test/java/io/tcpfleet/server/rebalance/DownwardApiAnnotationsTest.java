package io.tcpfleet.server.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownwardApiAnnotationsTest {

    /** As the kubelet writes it (Go's strconv.Quote of each value), sorted by key. */
    @Test
    void readsTheKubeletsFormat() {
        String file = """
                kubernetes.io/config.seen="2026-12-04T14:00:00.000000000Z"
                note="say \\"hi\\"\\n\\tbye \\\\ \\u00e9t\\u00e9 \\x41"
                tcpfleet.io/rebalance="7:250:50"
                """;
        assertThat(DownwardApiAnnotations.parse(file))
                .containsExactly(
                        Map.entry("kubernetes.io/config.seen", "2026-12-04T14:00:00.000000000Z"),
                        Map.entry("note", "say \"hi\"\n\tbye \\ été A"),
                        Map.entry("tcpfleet.io/rebalance", "7:250:50"));
    }

    /**
     * The file a real kubelet (e2e/cluster's node) wrote for a pod annotated with {@code kubectl annotate pod
     * podinfo tcpfleet.io/rebalance=7:250:50}, read out of the container.
     */
    @Test
    void readsTheFileARealKubeletWrote() throws IOException {
        String file;
        try (InputStream in = getClass().getResourceAsStream("/rebalance/kubelet-annotations")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> annotations = DownwardApiAnnotations.parse(file);
        assertThat(annotations)
                .containsEntry(RebalanceRequest.ANNOTATION, "7:250:50")
                .containsEntry("note", "say \"hi\"\n\tünïcode")
                .containsEntry("kubernetes.io/config.source", "api")
                .hasSize(5);
        assertThat(annotations.get("kubectl.kubernetes.io/last-applied-configuration"))
                .startsWith("{\"apiVersion\":\"v1\"")
                .endsWith("}\n");
    }

    @Test
    void anEmptyFileHasNoAnnotations() {
        assertThat(DownwardApiAnnotations.parse("")).isEmpty();
    }

    @Test
    void namesTheLineThatIsNotKeyEqualsQuotedValue() {
        assertThatThrownBy(() -> DownwardApiAnnotations.parse("a=\"1\"\nb=2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2 is not key=\"value\"");
        assertThatThrownBy(() -> DownwardApiAnnotations.parse("a=\"x\\q\"")).hasMessageContaining("unknown escape");
    }
}
