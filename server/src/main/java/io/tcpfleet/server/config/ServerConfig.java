package io.tcpfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is told at start, validated. Built by {@link ConfigLoader} from flags and
 * their {@code TCPFLEET_*} environment twins. {@code tls} is null for a plaintext data port,
 * {@code upstreamTls} for a plaintext upstream (or none), {@code rebalanceFile} when the server does not
 * rebalance.
 */
public record ServerConfig(
        String handler,
        String bind,
        int port,
        String adminBind,
        int adminPort,
        int maxConnections,
        Duration idleTimeout,
        Duration keepaliveIdle,
        Duration keepaliveInterval,
        int keepaliveCount,
        Duration drainDelay,
        Duration drainTimeout,
        int drainCloseRate,
        Duration maxConnectionAge,
        int maxConnectionAgeJitter,
        Duration maxConnectionAgeGrace,
        HostPort upstream,
        Duration upstreamConnectTimeout,
        int breakerFailures,
        Duration breakerCooldown,
        LogLevel logLevel,
        Path pluginsDir,
        int backlog,
        int workerThreads,
        int writeBufferLow,
        int writeBufferHigh,
        int blockingThreads,
        int blockingQueue,
        ProxyProtocolMode proxyProtocol,
        Duration proxyProtocolTimeout,
        TlsConfig tls,
        UpstreamProxyProtocol upstreamProxyProtocol,
        UpstreamTlsConfig upstreamTls,
        Path rebalanceFile) {}
