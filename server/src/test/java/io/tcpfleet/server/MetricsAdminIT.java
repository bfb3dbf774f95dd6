package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.Http;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsAdminIT {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void metricsAreStrictPrometheusTextWithTheDesignNamesAndJvmAndNettyMemory() {
        var response = Http.get(server.admin(), "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Double> samples = io.tcpfleet.server.testing.PrometheusText.parse(response.body());
        assertThat(samples)
                .containsKeys(
                        "tcpfleet_connections_active",
                        "tcpfleet_connections_accepted_total",
                        "tcpfleet_connections_refused_total{reason=\"limit\"}",
                        "tcpfleet_connections_closed_total{reason=\"client\"}",
                        "tcpfleet_connections_closed_total{reason=\"forced\"}",
                        "tcpfleet_connection_duration_seconds_count",
                        "tcpfleet_connection_duration_seconds_bucket{le=\"+Inf\"}",
                        "tcpfleet_bytes_received_total",
                        "tcpfleet_bytes_sent_total",
                        "tcpfleet_draining",
                        "tcpfleet_upstream_connect_seconds_count",
                        "tcpfleet_upstream_failures_total",
                        "tcpfleet_upstream_circuit_open");
        assertThat(samples.keySet())
                .anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(k -> k.startsWith("netty_allocator_memory_used{") && k.contains("memory_type=\"direct\""))
                .noneMatch(k -> k.contains("127.0.0.1"));
    }

    @Test
    void metricsMoveWithTraffic() throws Exception {
        Map<String, Double> before = server.metrics();
        try (Socket s = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(s, "0123456789")).isEqualTo("0123456789");
        }
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> server.metrics().get("tcpfleet_connections_closed_total{reason=\"client\"}")
                        > before.get("tcpfleet_connections_closed_total{reason=\"client\"}"));
        Map<String, Double> after = server.metrics();
        assertThat(after.get("tcpfleet_connections_accepted_total") - before.get("tcpfleet_connections_accepted_total"))
                .isEqualTo(1.0);
        assertThat(after.get("tcpfleet_bytes_received_total") - before.get("tcpfleet_bytes_received_total"))
                .isEqualTo(11.0);
        assertThat(after.get("tcpfleet_bytes_sent_total") - before.get("tcpfleet_bytes_sent_total"))
                .isEqualTo(11.0);
        assertThat(after.get("tcpfleet_connection_duration_seconds_count")
                        - before.get("tcpfleet_connection_duration_seconds_count"))
                .isEqualTo(1.0);
    }

    @Test
    void healthEndpointsAnswer() {
        assertThat(Http.status(server.admin(), "/health/live")).isEqualTo(200);
        assertThat(Http.status(server.admin(), "/health/ready")).isEqualTo(200);
        assertThat(Http.status(server.admin(), "/nope")).isEqualTo(404);
        assertThat(Http.status(server.admin(), "/drain")).as("GET /drain").isEqualTo(405);
    }

    @Test
    void malformedAndOversizedRequestsAreRefusedAndTheDataPortDoesNotCare() throws Exception {
        assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
        assertThat(raw("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
        assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
        try (Socket s = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(s, "unaffected")).isEqualTo("unaffected");
        }
        assertThat(Http.status(server.admin(), "/health/ready")).isEqualTo(200);
    }

    private static String raw(String request) throws Exception {
        try (Socket s = Wire.connect(server.admin())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
