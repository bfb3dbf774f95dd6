package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.ProxyProtocol;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.Tls;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's TCPFLEET_* environment. What the pod's ports, probes and Services rely on is always set;
 * a tunable only where it differs from its default (the CRD's, which DefaultsAgreeTest holds equal to the
 * server's). So a release that adds a setting adds
 * no variable to fleets that leave it alone: an operator upgrade does not roll them, and an older server
 * (spec.image) meets a variable it does not know only when the TcpService asks for that setting.
 */
public final class ServerEnvironment {

    private ServerEnvironment() {}

    public static List<EnvVar> of(EffectiveSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        add(env, "TCPFLEET_HANDLER", spec.handler());
        add(env, "TCPFLEET_PORT", String.valueOf(spec.port()));
        add(env, "TCPFLEET_ADMIN_PORT", String.valueOf(TcpServiceSpec.ADMIN_PORT));
        // All interfaces: the Service, probes and Prometheus reach the pod IP. /drain stays loopback-only in the
        // server.
        add(env, "TCPFLEET_BIND", "0.0.0.0");
        add(env, "TCPFLEET_ADMIN_BIND", "0.0.0.0");
        unlessDefault(env, "TCPFLEET_MAX_CONNECTIONS", spec.maxConnections(), Connections.DEFAULT_MAX);
        unlessDefault(env, "TCPFLEET_IDLE_TIMEOUT", spec.idleTimeout(), Connections.DEFAULT_IDLE_TIMEOUT);
        unlessDefault(env, "TCPFLEET_KEEPALIVE_IDLE", spec.keepaliveIdle(), Keepalive.DEFAULT_IDLE);
        unlessDefault(env, "TCPFLEET_KEEPALIVE_INTERVAL", spec.keepaliveInterval(), Keepalive.DEFAULT_INTERVAL);
        unlessDefault(env, "TCPFLEET_KEEPALIVE_COUNT", spec.keepaliveCount(), Keepalive.DEFAULT_COUNT);
        unlessDefault(env, "TCPFLEET_DRAIN_DELAY", spec.drainDelay(), Drain.DEFAULT_DELAY);
        unlessDefault(env, "TCPFLEET_DRAIN_TIMEOUT", spec.drainTimeout(), Drain.DEFAULT_TIMEOUT);
        unlessDefault(env, "TCPFLEET_DRAIN_CLOSE_RATE", spec.drainCloseRate(), Drain.DEFAULT_CLOSE_RATE);
        unlessDefault(env, "TCPFLEET_MAX_CONNECTION_AGE", spec.maxAge(), Connections.DEFAULT_MAX_AGE);
        unlessDefault(
                env,
                "TCPFLEET_MAX_CONNECTION_AGE_JITTER",
                spec.maxAgeJitterPercent(),
                Connections.DEFAULT_MAX_AGE_JITTER_PERCENT);
        unlessDefault(env, "TCPFLEET_MAX_CONNECTION_AGE_GRACE", spec.maxAgeGrace(), Connections.DEFAULT_MAX_AGE_GRACE);
        if (spec.proxyProtocolMode() == ProxyProtocol.Mode.Required) {
            add(env, "TCPFLEET_PROXY_PROTOCOL", "required");
        }
        unlessDefault(
                env, "TCPFLEET_PROXY_PROTOCOL_TIMEOUT", spec.proxyProtocolTimeout(), ProxyProtocol.DEFAULT_TIMEOUT);
        if (spec.rebalance().isPresent()) {
            add(env, "TCPFLEET_REBALANCE_FILE", ServerDeployment.REBALANCE_FILE);
        }
        spec.tls().ifPresent(tls -> tls(env, spec, tls));
        spec.upstream().ifPresent(u -> upstream(env, spec, u));
        return env;
    }

    /** The files are where SecretVolumes mounts the Secrets. */
    private static void tls(List<EnvVar> env, EffectiveSpec spec, Tls tls) {
        add(env, "TCPFLEET_TLS_CERT", SecretVolumes.TLS_CERT);
        add(env, "TCPFLEET_TLS_KEY", SecretVolumes.TLS_KEY);
        spec.clientCaKey().ifPresent(key -> add(env, "TCPFLEET_TLS_CLIENT_CA", SecretVolumes.clientCaFile(key)));
        unlessDefault(env, "TCPFLEET_TLS_MIN_VERSION", spec.tlsMinVersion().flag(), Tls.DEFAULT_MIN_VERSION);
        if (tls.getCiphers() != null && !tls.getCiphers().isEmpty()) {
            add(env, "TCPFLEET_TLS_CIPHERS", String.join(",", tls.getCiphers()));
        }
        unlessDefault(env, "TCPFLEET_TLS_HANDSHAKE_TIMEOUT", spec.tlsHandshakeTimeout(), Tls.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private static void upstream(List<EnvVar> env, EffectiveSpec spec, Upstream u) {
        add(env, "TCPFLEET_UPSTREAM", u.getHost() + ":" + u.getPort());
        unlessDefault(
                env,
                "TCPFLEET_UPSTREAM_CONNECT_TIMEOUT",
                spec.upstreamConnectTimeout(),
                Upstream.DEFAULT_CONNECT_TIMEOUT);
        if (spec.upstreamProxyProtocol() == Upstream.UpstreamProxyProtocol.V2) {
            add(env, "TCPFLEET_UPSTREAM_PROXY_PROTOCOL", "v2");
        }
        spec.upstreamTls().ifPresent(t -> {
            add(env, "TCPFLEET_UPSTREAM_TLS", "true");
            spec.upstreamCaKey()
                    .ifPresent(key -> add(env, "TCPFLEET_UPSTREAM_TLS_CA", SecretVolumes.upstreamCaFile(key)));
            if (t.getServerName() != null) {
                add(env, "TCPFLEET_UPSTREAM_TLS_SERVER_NAME", t.getServerName());
            }
        });
    }

    /** As written: "1m" where the default is "60s" is sent, which costs nothing and changes nothing. */
    private static void unlessDefault(List<EnvVar> env, String name, Object value, Object defaultValue) {
        if (!value.equals(defaultValue)) {
            add(env, name, String.valueOf(value));
        }
    }

    private static void add(List<EnvVar> env, String name, String value) {
        env.add(new EnvVar(name, value, null));
    }
}
