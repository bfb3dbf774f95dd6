package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
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
    void everyVariableIsOneTheServerDocuments() {
        TcpService tcps = TestTcpServices.named("front");
        tcps.getSpec().setHandler("proxy");
        tcps.getSpec().setUpstream(new Upstream("backend", 80, "1s"));
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
                        "TCPFLEET_LOG_LEVEL",
                        "TCPFLEET_PLUGINS_DIR");
    }
}
