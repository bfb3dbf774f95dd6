package io.tcpfleet.server.config;

/** {@code --upstream-proxy-protocol}: what the proxy handler tells its upstream about the client. */
public enum UpstreamProxyProtocol {
    /** Nothing: the upstream sees the proxy's address. */
    off,
    /** A PROXY protocol v2 header before the client's first byte. */
    v2
}
