package io.tcpfleet.server.config;

/**
 * {@code --proxy-protocol}: whether a client connection starts with a PROXY protocol header (v1 or v2)
 * from the load balancer in front of the server.
 *
 * <p>There is no "optional" mode on purpose: a header is trusted only because the load balancer
 * always sends one; a listener that took it when present and did without otherwise would let any
 * client that reaches the pod directly claim any address. HAProxy ({@code accept-proxy}) and Envoy's
 * listener filter make the same choice by default.
 */
public enum ProxyProtocolMode {
    /** No header expected: bytes that look like one are the client's data. */
    off,
    /** Every connection must start with a v1 or v2 header; one without is closed and counted. */
    required
}
