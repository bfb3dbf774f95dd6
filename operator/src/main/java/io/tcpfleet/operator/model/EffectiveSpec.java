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
 * server (unit tests). The defaults are the api classes' constants, the ones their @Default
 * annotations write into the CRD. It never writes back: the operator does not patch spec.
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
                or(spec.getReplicas(), TcpServiceSpec.DEFAULT_REPLICAS),
                Optional.ofNullable(spec.getImage()).filter(i -> !i.isBlank()),
                or(spec.getHandler(), TcpServiceSpec.DEFAULT_HANDLER),
                or(spec.getPort(), TcpServiceSpec.DEFAULT_PORT),
                Optional.ofNullable(spec.getUpstream()),
                or(c.getMax(), Connections.DEFAULT_MAX),
                or(c.getIdleTimeout(), Connections.DEFAULT_IDLE_TIMEOUT),
                or(k.getIdle(), Keepalive.DEFAULT_IDLE),
                or(k.getInterval(), Keepalive.DEFAULT_INTERVAL),
                or(k.getCount(), Keepalive.DEFAULT_COUNT),
                or(d.getDelay(), Drain.DEFAULT_DELAY),
                or(d.getTimeout(), Drain.DEFAULT_TIMEOUT),
                or(s.getType(), ServiceSpec.Type.ClusterIP),
                or(s.getAnnotations(), Map.of()),
                or(s.getExternalTrafficPolicy(), ServiceSpec.ExternalTrafficPolicy.Cluster),
                min,
                max,
                or(m.getServiceMonitor(), Boolean.TRUE),
                or(m.getPrometheusRule(), Boolean.TRUE),
                or(m.getInterval(), Monitoring.DEFAULT_INTERVAL),
                or(m.getLabels(), Map.of()),
                spec.getResources(),
                or(spec.getPod(), new PodOverrides()));
    }

    public String upstreamConnectTimeout() {
        return upstream.map(Upstream::getConnectTimeout).orElse(Upstream.DEFAULT_CONNECT_TIMEOUT);
    }

    public List<io.fabric8.kubernetes.api.model.EnvVar> extraEnv() {
        return or(pod.getEnv(), List.of());
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
