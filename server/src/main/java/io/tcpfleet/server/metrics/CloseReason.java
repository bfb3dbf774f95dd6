package io.tcpfleet.server.metrics;

/** Why a connection ended; the {@code reason} tag of {@code tcpfleet_connections_closed_total}. */
public enum CloseReason {
    /** The peer closed (or half-closed and we finished). */
    client,
    /** No inbound bytes for {@code --idle-timeout}. */
    idle,
    /** Older than {@code --max-connection-age}: asked to go, closed once idle or at the end of the grace. */
    max_age,
    /** Asked to go by a rebalance round (the {@code tcpfleet.io/rebalance} annotation): closed once idle or after the grace. */
    rebalance,
    /** Closed by the drain: idle at drain time, or refused after the listener closed. */
    drain,
    /** An I/O or protocol error, an unreachable upstream. */
    error,
    /** Refused because of {@code --max-connections} or a full worker queue. */
    limit,
    /** {@code --proxy-protocol required}: the header was missing, malformed or too slow to arrive. */
    proxy_protocol,
    /** The TLS handshake failed or timed out, or a TLS error later on. */
    tls,
    /** Still open at the end of the drain timeout. */
    forced
}
