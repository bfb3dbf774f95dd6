package io.tcpfleet.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonFormatterTest {

    private final JsonFormatter formatter = new JsonFormatter();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesOneJsonObjectPerLineWithConnectionFields() throws Exception {
        StructuredRecord record = new StructuredRecord(Level.FINE, "connection closed", new Object[] {
            "remote", "/127.0.0.1:5000", "durationMs", 12L, "bytesIn", 3L, "reason", "client"
        });
        record.setLoggerName("io.tcpfleet.x");
        String line = formatter.format(record);
        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        JsonNode node = json.readTree(line);
        assertThat(node.get("level").asText()).isEqualTo("debug");
        assertThat(node.get("logger").asText()).isEqualTo("io.tcpfleet.x");
        assertThat(node.get("message").asText()).isEqualTo("connection closed");
        assertThat(node.get("durationMs").asLong()).isEqualTo(12);
        assertThat(node.get("reason").asText()).isEqualTo("client");
        assertThat(node.get("ts").asText()).endsWith("Z");
    }

    @Test
    void escapesQuotesControlCharactersAndStackTraces() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "bad \"thing\"\n\tnext\u0001");
        record.setThrown(new IllegalStateException("boom"));
        String line = formatter.format(record);
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        JsonNode node = json.readTree(line);
        assertThat(node.get("message").asText()).isEqualTo("bad \"thing\"\n\tnext\u0001");
        assertThat(node.get("level").asText()).isEqualTo("error");
        assertThat(node.get("error").asText()).contains("IllegalStateException: boom");
    }

    @Test
    void formatsNettyStyleParameters() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "value {0}");
        record.setParameters(new Object[] {42});
        assertThat(json.readTree(formatter.format(record)).get("message").asText())
                .isEqualTo("value 42");
    }
}
