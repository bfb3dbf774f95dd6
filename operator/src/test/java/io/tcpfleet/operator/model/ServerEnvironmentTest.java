package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.tcpfleet.operator.api.v1alpha1.CaSecret;
import io.tcpfleet.operator.api.v1alpha1.ClientCA;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.ProxyProtocol;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.Tls;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
import io.tcpfleet.operator.api.v1alpha1.UpstreamTls;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServerEnvironmentTest {

    private static Map<String, String> env(TcpService tcps) {
        return ServerEnvironment.of(EffectiveSpec.of(tcps.getSpec())).stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void proxyGetsItsUpstreamAndConnectTimeout() {
        TcpService tcps = TestTcpServices.named("front");
        tcps.getSpec().setHandler("proxy");
        tcps.getSpec().setUpstream(new Upstream("redis.db.svc", 6379, "750ms"));
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_HANDLER", "proxy")
                .containsEntry("TCPFLEET_UPSTREAM", "redis.db.svc:6379")
                .containsEntry("TCPFLEET_UPSTREAM_CONNECT_TIMEOUT", "750ms");
    }

    @Test
    void aDefaultConnectTimeoutIsLeftToTheServer() {
        TcpService tcps = TestTcpServices.named("front");
        tcps.getSpec().setHandler("proxy");
        tcps.getSpec().setUpstream(new Upstream("backend", 80, null));
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_UPSTREAM", "backend:80")
                .doesNotContainKey("TCPFLEET_UPSTREAM_CONNECT_TIMEOUT");
    }

    /**
     * An operator upgrade must not roll fleets: a setting a release adds may not appear in the pods of a
     * TcpService that leaves it at its default. A variable added here unconditionally breaks that for every
     * fleet at once (docs/upgrade.md).
     */
    @Test
    void aTcpServiceAtItsDefaultsGetsOnlyWhatItsPortsAndProbesNeed() {
        assertThat(env(TestTcpServices.named("echo")))
                .containsOnlyKeys(
                        "TCPFLEET_HANDLER",
                        "TCPFLEET_PORT",
                        "TCPFLEET_ADMIN_PORT",
                        "TCPFLEET_BIND",
                        "TCPFLEET_ADMIN_BIND");
    }

    @Test
    void keepaliveSettingsAreHandedOver() {
        TcpService tcps = TestTcpServices.named("echo");
        Keepalive k = new Keepalive();
        k.setIdle("2m");
        k.setInterval("15s");
        k.setCount(9);
        Connections c = new Connections();
        c.setKeepalive(k);
        tcps.getSpec().setConnections(c);
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_KEEPALIVE_IDLE", "2m")
                .containsEntry("TCPFLEET_KEEPALIVE_INTERVAL", "15s")
                .containsEntry("TCPFLEET_KEEPALIVE_COUNT", "9")
                .doesNotContainKeys("TCPFLEET_MAX_CONNECTIONS", "TCPFLEET_IDLE_TIMEOUT");
    }

    @Test
    void tlsPointsTheServerAtTheMountedSecretFiles() {
        TcpService tcps = TestTcpServices.named("echo");
        Tls tls = new Tls();
        tls.setSecretName("echo-tls");
        tls.setClientCA(new ClientCA("clients", "bundle.pem"));
        tls.setMinVersion(Tls.MinVersion.TLS_1_3);
        tls.setCiphers(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        tls.setHandshakeTimeout("3s");
        tcps.getSpec().setTls(tls);
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_TLS_CERT", "/etc/tcpfleet/tls/tls.crt")
                .containsEntry("TCPFLEET_TLS_KEY", "/etc/tcpfleet/tls/tls.key")
                .containsEntry("TCPFLEET_TLS_CLIENT_CA", "/etc/tcpfleet/client-ca/bundle.pem")
                .containsEntry("TCPFLEET_TLS_MIN_VERSION", "TLSv1.3")
                .containsEntry(
                        "TCPFLEET_TLS_CIPHERS",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                .containsEntry("TCPFLEET_TLS_HANDSHAKE_TIMEOUT", "3s");
    }

    @Test
    void tlsAtItsDefaultsSetsOnlyTheFiles() {
        TcpService tcps = TestTcpServices.named("echo");
        Tls tls = new Tls();
        tls.setSecretName("echo-tls");
        tls.setClientCA(new ClientCA("clients", null));
        tcps.getSpec().setTls(tls);
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_TLS_CLIENT_CA", "/etc/tcpfleet/client-ca/ca.crt")
                .doesNotContainKeys(
                        "TCPFLEET_TLS_MIN_VERSION", "TCPFLEET_TLS_CIPHERS", "TCPFLEET_TLS_HANDSHAKE_TIMEOUT");
    }

    @Test
    void proxyProtocolRequiredIsHandedOverAndDisabledIsTheServersDefault() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setProxyProtocol(new ProxyProtocol(ProxyProtocol.Mode.Required, "2s"));
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_PROXY_PROTOCOL", "required")
                .containsEntry("TCPFLEET_PROXY_PROTOCOL_TIMEOUT", "2s");
        tcps.getSpec().setProxyProtocol(new ProxyProtocol(ProxyProtocol.Mode.Disabled, "5s"));
        assertThat(env(tcps)).doesNotContainKeys("TCPFLEET_PROXY_PROTOCOL", "TCPFLEET_PROXY_PROTOCOL_TIMEOUT");
    }

    @Test
    void theProxyTellsItsUpstreamAboutTheClientAndSpeaksTlsToIt() {
        TcpService tcps = TestTcpServices.named("front");
        tcps.getSpec().setHandler("proxy");
        Upstream upstream = new Upstream("redis.db.svc", 6380, null);
        upstream.setProxyProtocol(Upstream.UpstreamProxyProtocol.V2);
        UpstreamTls tls = new UpstreamTls();
        tls.setEnabled(true);
        tls.setCaSecret(new CaSecret("db-ca", null));
        tls.setServerName("redis.example.com");
        upstream.setTls(tls);
        tcps.getSpec().setUpstream(upstream);
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_UPSTREAM_PROXY_PROTOCOL", "v2")
                .containsEntry("TCPFLEET_UPSTREAM_TLS", "true")
                .containsEntry("TCPFLEET_UPSTREAM_TLS_CA", "/etc/tcpfleet/upstream-ca/ca.crt")
                .containsEntry("TCPFLEET_UPSTREAM_TLS_SERVER_NAME", "redis.example.com");
        tls.setEnabled(false);
        upstream.setProxyProtocol(Upstream.UpstreamProxyProtocol.Disabled);
        assertThat(env(tcps))
                .doesNotContainKeys(
                        "TCPFLEET_UPSTREAM_PROXY_PROTOCOL",
                        "TCPFLEET_UPSTREAM_TLS",
                        "TCPFLEET_UPSTREAM_TLS_CA",
                        "TCPFLEET_UPSTREAM_TLS_SERVER_NAME");
    }

    @Test
    void connectionAgeAndPacedDrainAreHandedOver() {
        TcpService tcps = TestTcpServices.named("echo");
        Connections c = new Connections();
        c.setMaxAge("15m");
        c.setMaxAgeJitterPercent(20);
        c.setMaxAgeGrace("1m");
        tcps.getSpec().setConnections(c);
        Drain d = new Drain();
        d.setCloseRate(200);
        tcps.getSpec().setDrain(d);
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_MAX_CONNECTION_AGE", "15m")
                .containsEntry("TCPFLEET_MAX_CONNECTION_AGE_JITTER", "20")
                .containsEntry("TCPFLEET_MAX_CONNECTION_AGE_GRACE", "1m")
                .containsEntry("TCPFLEET_DRAIN_CLOSE_RATE", "200");
        c.setMaxAgeJitterPercent(10);
        c.setMaxAgeGrace(null);
        d.setCloseRate(0);
        assertThat(env(tcps))
                .containsEntry("TCPFLEET_MAX_CONNECTION_AGE", "15m")
                .doesNotContainKeys(
                        "TCPFLEET_MAX_CONNECTION_AGE_JITTER",
                        "TCPFLEET_MAX_CONNECTION_AGE_GRACE",
                        "TCPFLEET_DRAIN_CLOSE_RATE");
    }

    @Test
    void everyVariableIsOneTheServerDocuments() {
        TcpService tcps = TestTcpServices.named("front");
        tcps.getSpec().setHandler("proxy");
        Upstream upstream = new Upstream("backend", 80, "1s");
        upstream.setProxyProtocol(Upstream.UpstreamProxyProtocol.V2);
        UpstreamTls upstreamTls = new UpstreamTls();
        upstreamTls.setEnabled(true);
        upstreamTls.setCaSecret(new CaSecret("ca", "ca.crt"));
        upstreamTls.setServerName("backend.example");
        upstream.setTls(upstreamTls);
        tcps.getSpec().setUpstream(upstream);
        Tls tls = new Tls();
        tls.setSecretName("front-tls");
        tls.setClientCA(new ClientCA("front-tls", "ca.crt"));
        tls.setMinVersion(Tls.MinVersion.TLS_1_3);
        tls.setCiphers(List.of("TLS_AES_128_GCM_SHA256"));
        tls.setHandshakeTimeout("1s");
        tcps.getSpec().setTls(tls);
        tcps.getSpec().setProxyProtocol(new ProxyProtocol(ProxyProtocol.Mode.Required, "1s"));
        Connections c = new Connections();
        c.setMaxAge("1h");
        c.setMaxAgeJitterPercent(0);
        c.setMaxAgeGrace("1s");
        tcps.getSpec().setConnections(c);
        Drain d = new Drain();
        d.setCloseRate(1);
        tcps.getSpec().setDrain(d);
        assertThat(env(tcps)).as("every setting departs from its default").hasSize(23);
        assertThat(env(tcps).keySet())
                .isSubsetOf(
                        "TCPFLEET_HANDLER",
                        "TCPFLEET_PORT",
                        "TCPFLEET_ADMIN_PORT",
                        "TCPFLEET_BIND",
                        "TCPFLEET_ADMIN_BIND",
                        "TCPFLEET_MAX_CONNECTIONS",
                        "TCPFLEET_IDLE_TIMEOUT",
                        "TCPFLEET_KEEPALIVE_IDLE",
                        "TCPFLEET_KEEPALIVE_INTERVAL",
                        "TCPFLEET_KEEPALIVE_COUNT",
                        "TCPFLEET_DRAIN_DELAY",
                        "TCPFLEET_DRAIN_TIMEOUT",
                        "TCPFLEET_UPSTREAM",
                        "TCPFLEET_UPSTREAM_CONNECT_TIMEOUT",
                        "TCPFLEET_PROXY_PROTOCOL",
                        "TCPFLEET_PROXY_PROTOCOL_TIMEOUT",
                        "TCPFLEET_UPSTREAM_PROXY_PROTOCOL",
                        "TCPFLEET_TLS_CERT",
                        "TCPFLEET_TLS_KEY",
                        "TCPFLEET_TLS_CLIENT_CA",
                        "TCPFLEET_TLS_MIN_VERSION",
                        "TCPFLEET_TLS_CIPHERS",
                        "TCPFLEET_TLS_HANDSHAKE_TIMEOUT",
                        // The contract of issue 21 with the server's age, drain and upstream TLS flags.
                        "TCPFLEET_MAX_CONNECTION_AGE",
                        "TCPFLEET_MAX_CONNECTION_AGE_JITTER",
                        "TCPFLEET_MAX_CONNECTION_AGE_GRACE",
                        "TCPFLEET_DRAIN_CLOSE_RATE",
                        "TCPFLEET_UPSTREAM_TLS",
                        "TCPFLEET_UPSTREAM_TLS_CA",
                        "TCPFLEET_UPSTREAM_TLS_SERVER_NAME",
                        "TCPFLEET_LOG_LEVEL",
                        "TCPFLEET_PLUGINS_DIR");
    }
}
