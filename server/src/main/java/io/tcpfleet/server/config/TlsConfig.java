package io.tcpfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * TLS on the data port: the PEM files as a mounted {@code kubernetes.io/tls} Secret has them, an
 * optional CA for client certificates (null: none asked for), the lowest version, the TLS 1.2 cipher
 * suites (empty: the provider's defaults) and the handshake deadline.
 */
public record TlsConfig(
        Path certificate,
        Path key,
        Path clientCa,
        String minVersion,
        List<String> ciphers,
        Duration handshakeTimeout) {}
