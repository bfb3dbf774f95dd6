package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Disruption;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.Monitoring;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec with the schema defaults filled in. The API server applies the same defaults, so in a
 * cluster this changes nothing; it lets builders take a spec that never went through the API
 * server (unit tests) and keeps the defaults written in one place next to the schema's.
 * It never writes back: the operator does not patch spec.
 */
public record EffectiveSpec(
        int replicas,
        Optional<String> image,
        String handler,
        int port,
        Optional<Upstream> upstream,
        int maxConnections,
        String idleTimeout,
        String keepaliveIdle,
        String keepaliveInterval,
        int keepaliveCount,
        String drainDelay,
        String drainTimeout,
        ServiceSpec.Type serviceType,
        Map<String, String> serviceAnnotations,
        ServiceSpec.ExternalTrafficPolicy externalTrafficPolicy,
        Optional<IntOrString> minAvailable,
        Optional<IntOrString> maxUnavailable,
        boolean serviceMonitor,
        boolean prometheusRule,
        String scrapeInterval,
        Map<String, String> monitoringLabels,
        ResourceRequirements resources,
        PodOverrides pod) {

    public static EffectiveSpec of(TcpServiceSpec spec) {
        Connections c = or(spec.getConnections(), new Connections());
        Keepalive k = or(c.getKeepalive(), new Keepalive());
        Drain d = or(spec.getDrain(), new Drain());
        ServiceSpec s = or(spec.getService(), new ServiceSpec());
        Disruption dis = or(spec.getDisruption(), new Disruption());
        Monitoring m = or(spec.getMonitoring(), new Monitoring());
        Optional<IntOrString> min = Optional.ofNullable(dis.getMinAvailable());
        Optional<IntOrString> max = Optional.ofNullable(dis.getMaxUnavailable())
                .or(() -> min.isPresent() ? Optional.empty() : Optional.of(new IntOrString(1)));
        return new EffectiveSpec(
                or(spec.getReplicas(), 1),
                Optional.ofNullable(spec.getImage()).filter(i -> !i.isBlank()),
                or(spec.getHandler(), "echo"),
                or(spec.getPort(), 7000),
                Optional.ofNullable(spec.getUpstream()),
                or(c.getMax(), 10000),
                or(c.getIdleTimeout(), "5m"),
                or(k.getIdle(), "60s"),
                or(k.getInterval(), "10s"),
                or(k.getCount(), 3),
                or(d.getDelay(), "5s"),
                or(d.getTimeout(), "30s"),
                or(s.getType(), ServiceSpec.Type.ClusterIP),
                or(s.getAnnotations(), Map.of()),
                or(s.getExternalTrafficPolicy(), ServiceSpec.ExternalTrafficPolicy.Cluster),
                min,
                max,
                or(m.getServiceMonitor(), Boolean.TRUE),
                or(m.getPrometheusRule(), Boolean.TRUE),
                or(m.getInterval(), "30s"),
                or(m.getLabels(), Map.of()),
                spec.getResources(),
                or(spec.getPod(), new PodOverrides()));
    }

    public String upstreamConnectTimeout() {
        return upstream.map(Upstream::getConnectTimeout).orElse("2s");
    }

    public List<io.fabric8.kubernetes.api.model.EnvVar> extraEnv() {
        return or(pod.getEnv(), List.of());
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
