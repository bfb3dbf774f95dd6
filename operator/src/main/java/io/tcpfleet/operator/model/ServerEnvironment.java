package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import java.util.ArrayList;
import java.util.List;

/** The server's TCPFLEET_* environment, one variable per setting of the server/operator contract. */
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
        add(env, "TCPFLEET_MAX_CONNECTIONS", String.valueOf(spec.maxConnections()));
        add(env, "TCPFLEET_IDLE_TIMEOUT", spec.idleTimeout());
        add(env, "TCPFLEET_KEEPALIVE_IDLE", spec.keepaliveIdle());
        add(env, "TCPFLEET_KEEPALIVE_INTERVAL", spec.keepaliveInterval());
        add(env, "TCPFLEET_KEEPALIVE_COUNT", String.valueOf(spec.keepaliveCount()));
        add(env, "TCPFLEET_DRAIN_DELAY", spec.drainDelay());
        add(env, "TCPFLEET_DRAIN_TIMEOUT", spec.drainTimeout());
        spec.upstream().ifPresent(u -> {
            add(env, "TCPFLEET_UPSTREAM", u.getHost() + ":" + u.getPort());
            add(env, "TCPFLEET_UPSTREAM_CONNECT_TIMEOUT", spec.upstreamConnectTimeout());
        });
        return env;
    }

    private static void add(List<EnvVar> env, String name, String value) {
        env.add(new EnvVar(name, value, null));
    }
}
