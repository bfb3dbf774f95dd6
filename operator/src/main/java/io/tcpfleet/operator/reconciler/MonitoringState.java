package io.tcpfleet.operator.reconciler;

/** What became of an optional monitoring child (the ServiceMonitor, the PrometheusRule) on this reconcile. */
public enum MonitoringState {
    /** The child exists (or was just applied). */
    ACTIVE,
    /** Its spec.monitoring switch (serviceMonitor, prometheusRule) is false. */
    DISABLED,
    /** Wanted, but its monitoring.coreos.com CRD is not installed. */
    CRD_MISSING
}
