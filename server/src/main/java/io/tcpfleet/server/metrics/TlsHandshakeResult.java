package io.tcpfleet.server.metrics;

/** The {@code result} tag of {@code tcpfleet_tls_handshakes_total}. */
public enum TlsHandshakeResult {
    success,
    /** The client's first bytes were not a TLS record: a plaintext client on the TLS port. */
    not_tls,
    /** Not done within {@code --tls-handshake-timeout}. */
    timeout,
    /** Refused: no common version or cipher, an untrusted or missing client certificate, a cut handshake. */
    failure
}
