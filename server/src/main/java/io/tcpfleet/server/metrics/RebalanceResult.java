package io.tcpfleet.server.metrics;

/** The {@code result} tag of {@code tcpfleet_rebalance_requests_total}: what became of a new annotation value. */
public enum RebalanceResult {
    /** A new round: its connections are being asked to go. */
    started,
    /** The round id was already acted on (or was there when the server started): nothing done. */
    repeated,
    /** Not {@code <round>:<connections>:<ratePerSecond>}, or the file could not be parsed: nothing done. */
    malformed,
    /** The server was draining, which asks every connection to go anyway: nothing done. */
    draining
}
