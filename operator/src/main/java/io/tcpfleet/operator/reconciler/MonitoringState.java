package io.tcpfleet.operator.reconciler;

/** What became of the ServiceMonitor on this reconcile. */
public enum MonitoringState {
    /** The ServiceMonitor exists (or was just applied). */
    ACTIVE,
    /** spec.monitoring.serviceMonitor is false. */
    DISABLED,
    /** Wanted, but the monitoring.coreos.com ServiceMonitor CRD is not installed. */
    CRD_MISSING
}
