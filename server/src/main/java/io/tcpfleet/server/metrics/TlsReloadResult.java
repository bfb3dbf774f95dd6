package io.tcpfleet.server.metrics;

/** The {@code result} tag of {@code tcpfleet_tls_reloads_total}: a changed certificate taken, or kept out. */
public enum TlsReloadResult {
    success,
    failure
}
