package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.tcpfleet.operator.api.v1alpha1.CaSecret;
import io.tcpfleet.operator.api.v1alpha1.ClientCA;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Disruption;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.Monitoring;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.ProxyProtocol;
import io.tcpfleet.operator.api.v1alpha1.Rebalance;
import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.Tls;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
import io.tcpfleet.operator.api.v1alpha1.UpstreamTls;
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
        int drainCloseRate,
        String maxAge,
        int maxAgeJitterPercent,
        String maxAgeGrace,
        Optional<Tls> tls,
        ProxyProtocol.Mode proxyProtocolMode,
        String proxyProtocolTimeout,
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
        PodOverrides pod,
        Optional<Rebalance> rebalance) {

    public static EffectiveSpec of(TcpServiceSpec spec) {
        Connections c = or(spec.getConnections(), new Connections());
        Keepalive k = or(c.getKeepalive(), new Keepalive());
        Drain d = or(spec.getDrain(), new Drain());
        ProxyProtocol pp = or(spec.getProxyProtocol(), new ProxyProtocol());
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
                or(d.getCloseRate(), Drain.DEFAULT_CLOSE_RATE),
                or(c.getMaxAge(), Connections.DEFAULT_MAX_AGE),
                or(c.getMaxAgeJitterPercent(), Connections.DEFAULT_MAX_AGE_JITTER_PERCENT),
                or(c.getMaxAgeGrace(), Connections.DEFAULT_MAX_AGE_GRACE),
                Optional.ofNullable(spec.getTls()),
                or(pp.getMode(), ProxyProtocol.Mode.Disabled),
                or(pp.getTimeout(), ProxyProtocol.DEFAULT_TIMEOUT),
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
                or(spec.getPod(), new PodOverrides()),
                Optional.ofNullable(spec.getRebalance()));
    }

    public Tls.MinVersion tlsMinVersion() {
        return tls.map(Tls::getMinVersion).orElse(Tls.MinVersion.TLS_1_2);
    }

    public String tlsHandshakeTimeout() {
        return tls.map(Tls::getHandshakeTimeout).orElse(Tls.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** spec.tls.clientCA's key, with its default. */
    public Optional<String> clientCaKey() {
        return tls.map(Tls::getClientCA).map(ca -> or(ca.getKey(), ClientCA.DEFAULT_KEY));
    }

    public Upstream.UpstreamProxyProtocol upstreamProxyProtocol() {
        return upstream.map(Upstream::getProxyProtocol).orElse(Upstream.UpstreamProxyProtocol.Disabled);
    }

    /** spec.upstream.tls when it is enabled. */
    public Optional<UpstreamTls> upstreamTls() {
        return upstream.map(Upstream::getTls).filter(t -> Boolean.TRUE.equals(t.getEnabled()));
    }

    /** spec.upstream.tls.caSecret's key, with its default, when upstream TLS is on. */
    public Optional<String> upstreamCaKey() {
        return upstreamTls().map(UpstreamTls::getCaSecret).map(ca -> or(ca.getKey(), CaSecret.DEFAULT_KEY));
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
