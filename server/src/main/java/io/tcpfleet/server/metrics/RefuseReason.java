package io.tcpfleet.server.metrics;

/** Why an accepted socket was closed at once; the {@code reason} tag of {@code tcpfleet_connections_refused_total}. */
public enum RefuseReason {
    /** {@code --max-connections} reached. */
    limit,
    /** Accepted in the instant the drain closed the listener. */
    drain
}
