package io.tcpfleet.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Operator settings (application.properties or env: TCPFLEET_OPERATOR_SERVER_IMAGE, ...). */
@ConfigMapping(prefix = "tcpfleet.operator")
public interface OperatorConfig {

    /** Server image for TcpServices that leave spec.image empty. */
    @WithDefault("ghcr.io/tcpfleet/tcpfleet-server:0.1.0")
    String serverImage();

    /** The operator's own namespace, where its leader-election Lease lives (in a pod: POD_NAMESPACE). */
    @WithDefault("tcpfleet-system")
    String namespace();

    /**
     * Whether replicas elect a leader through a Lease in {@link #namespace()}. Off: no Lease, no
     * Lease rights needed, and exactly one operator may run.
     */
    @WithDefault("true")
    boolean leaderElection();

    /**
     * Labels the operator puts on every ServiceMonitor and PrometheusRule it creates, as
     * {@code key=value} pairs separated by commas (e.g. {@code release=prometheus}, the label a
     * kube-prometheus-stack Prometheus selects them by). A TcpService's spec.monitoring.labels win
     * over them. Parsed by {@link MonitoringLabels}; a malformed one stops the operator at start.
     */
    Optional<String> monitoringLabels();
}
