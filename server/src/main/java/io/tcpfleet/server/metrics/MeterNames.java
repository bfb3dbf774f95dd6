package io.tcpfleet.server.metrics;

/**
 * Every meter name and tag the server exports, in Micrometer's dotted form; the Prometheus registry
 * renders them as the docs/design.md names ({@code tcpfleet.connections.accepted} becomes
 * {@code tcpfleet_connections_accepted_total}, timers get {@code _seconds}).
 */
public final class MeterNames {

    public static final String CONNECTIONS_ACTIVE = "tcpfleet.connections.active";
    public static final String CONNECTIONS_ACCEPTED = "tcpfleet.connections.accepted";
    public static final String CONNECTIONS_REFUSED = "tcpfleet.connections.refused";
    public static final String CONNECTIONS_CLOSED = "tcpfleet.connections.closed";
    public static final String CONNECTION_DURATION = "tcpfleet.connection.duration";
    public static final String BYTES_RECEIVED = "tcpfleet.bytes.received";
    public static final String BYTES_SENT = "tcpfleet.bytes.sent";
    public static final String DRAINING = "tcpfleet.draining";
    public static final String UPSTREAM_CONNECT = "tcpfleet.upstream.connect";
    public static final String UPSTREAM_FAILURES = "tcpfleet.upstream.failures";
    public static final String UPSTREAM_CIRCUIT_OPEN = "tcpfleet.upstream.circuit.open";
    public static final String WORKER_REJECTED = "tcpfleet.worker.rejected";
    public static final String CONNECTIONS_MAX = "tcpfleet.connections.max";
    public static final String SOCKETS = "tcpfleet.sockets";
    public static final String TLS_HANDSHAKES = "tcpfleet.tls.handshakes";
    public static final String TLS_RELOADS = "tcpfleet.tls.reloads";
    public static final String REBALANCE_REQUESTS = "tcpfleet.rebalance.requests";
    /** Seconds since the epoch: {@code tcpfleet_tls_certificate_expiry_timestamp_seconds}. */
    public static final String TLS_CERTIFICATE_EXPIRY = "tcpfleet.tls.certificate.expiry.timestamp";

    /** Tag on refused and closed connections: a {@code RefuseReason} or {@code CloseReason}. */
    public static final String TAG_REASON = "reason";
    /** Tag on {@code tcpfleet_sockets}: the kernel TCP state, lower case ({@code close_wait}). */
    public static final String TAG_STATE = "state";
    /** Tag on TLS handshakes and reloads and on rebalance requests: a {@code TlsHandshakeResult}, {@code TlsReloadResult} or {@code RebalanceResult}. */
    public static final String TAG_RESULT = "result";

    private MeterNames() {}
}
