package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsAdviceTest {

    @Test
    void theDefaultsHurtNothing() {
        assertThat(reasons(new TcpServiceSpec())).isEmpty();
    }

    @Test
    void keepaliveAtTheLoadBalancersIdleTimeoutIsFlaggedOnlyBehindALoadBalancer() {
        TcpServiceSpec spec = keepaliveIdle("350s", ServiceSpec.Type.LoadBalancer);
        assertThat(SettingsAdvice.of(EffectiveSpec.of(spec))).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo("KeepaliveAfterLoadBalancerIdleTimeout");
            assertThat(w.message()).contains("spec.connections.keepalive.idle 350s", "350s");
        });
        assertThat(reasons(keepaliveIdle("349s", ServiceSpec.Type.LoadBalancer)))
                .isEmpty();
        assertThat(reasons(keepaliveIdle("10m", ServiceSpec.Type.ClusterIP))).isEmpty();
    }

    @Test
    void aGracePeriodAboveTheAutoscalersLimitIsFlagged() {
        // 5s + 10000 / 20 + 30s + 10s = 545s is within 600s; at 15/s the spread alone is 667s.
        assertThat(reasons(closeRate(20))).isEmpty();
        TcpServiceSpec slow = closeRate(15);
        assertThat(SettingsAdvice.of(EffectiveSpec.of(slow))).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo("GracePeriodAboveAutoscalerLimit");
            assertThat(w.message()).contains("712s");
        });
    }

    @Test
    void aMaxAgeShorterThanTheDrainIsFlaggedWithItsJitter() {
        // The drain: 5s delay + 30s timeout = 35s; 38s less 10 % jitter is 34.2s at its earliest.
        assertThat(reasons(maxAge("38s", 10))).containsExactly("MaxAgeShorterThanDrain");
        assertThat(reasons(maxAge("40s", 10))).isEmpty();
    }

    @Test
    void aMaxAgeWithoutJitterIsFlagged() {
        assertThat(reasons(maxAge("1h", 0))).containsExactly("MaxAgeWithoutJitter");
        assertThat(reasons(maxAge("0", 0))).isEmpty();
    }

    private static List<String> reasons(TcpServiceSpec spec) {
        return SettingsAdvice.of(EffectiveSpec.of(spec)).stream()
                .map(SettingsAdvice.Warning::reason)
                .toList();
    }

    private static TcpServiceSpec keepaliveIdle(String idle, ServiceSpec.Type type) {
        Keepalive keepalive = new Keepalive();
        keepalive.setIdle(idle);
        Connections connections = new Connections();
        connections.setKeepalive(keepalive);
        ServiceSpec service = new ServiceSpec();
        service.setType(type);
        TcpServiceSpec spec = new TcpServiceSpec();
        spec.setConnections(connections);
        spec.setService(service);
        return spec;
    }

    private static TcpServiceSpec closeRate(int rate) {
        Drain drain = new Drain();
        drain.setCloseRate(rate);
        TcpServiceSpec spec = new TcpServiceSpec();
        spec.setDrain(drain);
        return spec;
    }

    private static TcpServiceSpec maxAge(String age, int jitter) {
        Connections connections = new Connections();
        connections.setMaxAge(age);
        connections.setMaxAgeJitterPercent(jitter);
        TcpServiceSpec spec = new TcpServiceSpec();
        spec.setConnections(connections);
        return spec;
    }
}
