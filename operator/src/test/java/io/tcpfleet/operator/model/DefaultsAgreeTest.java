package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.server.config.ConfigLoader;
import io.tcpfleet.server.config.GoDuration;
import io.tcpfleet.server.config.ProxyProtocolMode;
import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.config.UpstreamProxyProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A default is written in the CRD (what the API server fills in), in EffectiveSpec (a spec that never met
 * the API server) and, for what the server reads, in the server's flags (what it runs with when the
 * operator leaves a setting out). Wherever a setting has a default in more than one of these places,
 * they agree.
 */
class DefaultsAgreeTest {

    /** The committed CRD, which GeneratedCrdIT holds equal to the generated one. */
    private static final Path CRD = Path.of("..", "crds", "tcpservices.tcpfleet.io-v1.yml");

    private static JsonNode specSchema;

    @BeforeAll
    static void readCrd() throws IOException {
        specSchema = new ObjectMapper(new YAMLFactory())
                .readTree(CRD.toFile())
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        assertThat(specSchema.isMissingNode()).as("spec schema in %s", CRD).isFalse();
    }

    @Test
    void eachDefaultIsTheSameWhereverItIsWritten() {
        EffectiveSpec operator = EffectiveSpec.of(new TcpServiceSpec());
        ServerConfig server = ConfigLoader.parse(new String[0], Map.of()).config();
        SoftAssertions softly = new SoftAssertions();

        agree(softly, "handler", operator.handler(), server.handler());
        agree(softly, "port", operator.port(), server.port());
        agree(softly, "connections.max", operator.maxConnections(), server.maxConnections());
        agree(softly, "connections.idleTimeout", operator.idleTimeout(), server.idleTimeout());
        agree(softly, "connections.keepalive.idle", operator.keepaliveIdle(), server.keepaliveIdle());
        agree(softly, "connections.keepalive.interval", operator.keepaliveInterval(), server.keepaliveInterval());
        agree(softly, "connections.keepalive.count", operator.keepaliveCount(), server.keepaliveCount());
        agree(softly, "drain.delay", operator.drainDelay(), server.drainDelay());
        agree(softly, "drain.timeout", operator.drainTimeout(), server.drainTimeout());
        agree(softly, "upstream.connectTimeout", operator.upstreamConnectTimeout(), server.upstreamConnectTimeout());
        // The server's TLS settings exist once it has a certificate; the files need not exist to parse.
        var tls = ConfigLoader.parse(new String[] {"--tls-cert", "c", "--tls-key", "k"}, Map.of())
                .config()
                .tls();
        agree(softly, "tls.minVersion", operator.tlsMinVersion().flag(), tls.minVersion());
        agree(softly, "tls.handshakeTimeout", operator.tlsHandshakeTimeout(), tls.handshakeTimeout());
        agree(softly, "proxyProtocol.timeout", operator.proxyProtocolTimeout(), server.proxyProtocolTimeout());
        // Disabled is the server's off: YAML would read off as a boolean.
        agree(softly, "proxyProtocol.mode", operator.proxyProtocolMode(), null);
        softly.assertThat(server.proxyProtocol()).isEqualTo(ProxyProtocolMode.off);
        agree(softly, "upstream.proxyProtocol", operator.upstreamProxyProtocol(), null);
        softly.assertThat(server.upstreamProxyProtocol()).isEqualTo(UpstreamProxyProtocol.off);
        agree(softly, "connections.maxAge", operator.maxAge(), server.maxConnectionAge());
        agree(
                softly,
                "connections.maxAgeJitterPercent",
                operator.maxAgeJitterPercent(),
                server.maxConnectionAgeJitter());
        agree(softly, "drain.closeRate", operator.drainCloseRate(), server.drainCloseRate());
        agree(softly, "tls.clientCA.key", io.tcpfleet.operator.api.v1alpha1.ClientCA.DEFAULT_KEY, null);
        agree(softly, "upstream.tls.caSecret.key", io.tcpfleet.operator.api.v1alpha1.CaSecret.DEFAULT_KEY, null);
        agree(softly, "upstream.tls.enabled", false, null);
        softly.assertThat(server.upstreamTls())
                .as("the server's upstream TLS is off by default")
                .isNull();

        // The operator's own settings: the server has no such flag.
        agree(softly, "replicas", operator.replicas(), null);
        agree(softly, "service.type", operator.serviceType().name(), null);
        agree(
                softly,
                "service.externalTrafficPolicy",
                operator.externalTrafficPolicy().name(),
                null);
        agree(softly, "monitoring.serviceMonitor", operator.serviceMonitor(), null);
        agree(softly, "monitoring.prometheusRule", operator.prometheusRule(), null);
        agree(softly, "monitoring.interval", operator.scrapeInterval(), null);
        softly.assertAll();
    }

    /** The CRD's default for spec.{path} is EffectiveSpec's and, unless null, the server's. */
    private static void agree(SoftAssertions softly, String path, Object operator, Object server) {
        String crd = crdDefault(path);
        softly.assertThat(String.valueOf(operator))
                .as("spec.%s: EffectiveSpec vs the CRD", path)
                .isEqualTo(crd);
        if (server instanceof Duration) {
            softly.assertThat(GoDuration.parse(crd))
                    .as("spec.%s: the CRD vs the server", path)
                    .isEqualTo(server);
        } else if (server != null) {
            softly.assertThat(String.valueOf(server))
                    .as("spec.%s: the CRD vs the server", path)
                    .isEqualTo(crd);
        }
    }

    /** The default the CRD gives spec.{path}, as text. */
    private static String crdDefault(String path) {
        JsonNode node = specSchema;
        for (String name : path.split("\\.", -1)) {
            node = node.path("properties").path(name);
        }
        JsonNode value = node.path("default");
        assertThat(value.isMissingNode())
                .as("a default for spec.%s in %s", path, CRD)
                .isFalse();
        return value.asText();
    }
}
