package io.tcpfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is told at start, validated. Built by {@link ConfigLoader} from flags and
 * their {@code TCPFLEET_*} environment twins; tests build it directly with {@link #defaults()}.
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
        int blockingQueue) {

    /** The documented defaults (the same as the flags'), for tests and embedding. */
    public static ServerConfig defaults() {
        return new ServerConfig(
                "echo",
                "0.0.0.0",
                7000,
                "0.0.0.0",
                9090,
                10_000,
                Duration.ofMinutes(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                3,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(2),
                5,
                Duration.ofSeconds(5),
                LogLevel.info,
                Path.of("/opt/tcpfleet/plugins"),
                1024,
                0,
                32 * 1024,
                64 * 1024,
                16,
                1024);
    }

    public ServerConfig withHandler(String value) {
        return new ServerConfig(
                value,
                bind,
                port,
                adminBind,
                adminPort,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                blockingThreads,
                blockingQueue);
    }

    /** Loopback listeners on ephemeral ports: what every integration test starts from. */
    public ServerConfig onLoopbackEphemeralPorts() {
        return new ServerConfig(
                handler,
                "127.0.0.1",
                0,
                "127.0.0.1",
                0,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                blockingThreads,
                blockingQueue);
    }

    public ServerConfig withLimits(int maxConnectionsValue, Duration idleTimeoutValue) {
        return new ServerConfig(
                handler,
                bind,
                port,
                adminBind,
                adminPort,
                maxConnectionsValue,
                idleTimeoutValue,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                blockingThreads,
                blockingQueue);
    }

    public ServerConfig withDrain(Duration delay, Duration timeout) {
        return new ServerConfig(
                handler,
                bind,
                port,
                adminBind,
                adminPort,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                delay,
                timeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                blockingThreads,
                blockingQueue);
    }

    public ServerConfig withUpstream(HostPort value, Duration connectTimeout, int failures, Duration cooldown) {
        return new ServerConfig(
                "proxy",
                bind,
                port,
                adminBind,
                adminPort,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                value,
                connectTimeout,
                failures,
                cooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                blockingThreads,
                blockingQueue);
    }

    public ServerConfig withBlockingPool(int threads, int queue) {
        return new ServerConfig(
                handler,
                bind,
                port,
                adminBind,
                adminPort,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                threads,
                queue);
    }

    public ServerConfig withWriteBuffer(int low, int high) {
        return new ServerConfig(
                handler,
                bind,
                port,
                adminBind,
                adminPort,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                pluginsDir,
                backlog,
                workerThreads,
                low,
                high,
                blockingThreads,
                blockingQueue);
    }

    public ServerConfig withPluginsDir(Path dir) {
        return new ServerConfig(
                handler,
                bind,
                port,
                adminBind,
                adminPort,
                maxConnections,
                idleTimeout,
                keepaliveIdle,
                keepaliveInterval,
                keepaliveCount,
                drainDelay,
                drainTimeout,
                upstream,
                upstreamConnectTimeout,
                breakerFailures,
                breakerCooldown,
                logLevel,
                dir,
                backlog,
                workerThreads,
                writeBufferLow,
                writeBufferHigh,
                blockingThreads,
                blockingQueue);
    }
}
