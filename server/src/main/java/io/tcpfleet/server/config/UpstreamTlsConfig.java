package io.tcpfleet.server.config;

import java.nio.file.Path;

/**
 * TLS from the proxy handler to its upstream. The upstream's certificate chain is checked against
 * {@code ca} (null: the JDK's trust store) and its name against {@code serverName}, which is also
 * sent as SNI (null: the host of {@code --upstream}).
 */
public record UpstreamTlsConfig(Path ca, String serverName) {}
