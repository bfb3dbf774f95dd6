package io.tcpfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line. Every option has an environment twin named {@code TCPFLEET_} + the long name in
 * upper snake case ({@code --keepalive-idle} / {@code TCPFLEET_KEEPALIVE_IDLE}), see {@link ConfigLoader#envTwins()}.
 */
@Command(
        name = "tcpfleet-server",
        mixinStandardHelpOptions = true,
        version = "tcpfleet-server 0.1.0",
        sortOptions = false,
        usageHelpWidth = 110,
        description = "The tcpfleet data plane: a Netty TCP server with an admin HTTP port (metrics, health, drain).",
        footer = {
            "",
            "Every option can also be set by its environment twin: TCPFLEET_ + the option name in upper",
            "snake case, e.g. --idle-timeout / TCPFLEET_IDLE_TIMEOUT. Flags win over the environment.",
            "Durations use the Go form: 250ms, 30s, 5m, 1h30m; 0 means never where allowed.",
            "A bad value or an unknown flag stops the server with exit code 2. An unknown TCPFLEET_*",
            "variable (set by a newer operator, say) is ignored with a warning at start."
        })
public final class ServerOptions {

    @Option(
            names = "--handler",
            paramLabel = "NAME",
            defaultValue = "echo",
            converter = Converters.HandlerName.class,
            description = "echo, proxy or the name of a plugin (default: ${DEFAULT-VALUE})")
    String handler;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "7000",
            converter = Converters.ListenPort.class,
            description = "TCP port of the data listener (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            defaultValue = "0.0.0.0",
            converter = Converters.BindAddress.class,
            description = "address of the data listener (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            defaultValue = "9090",
            converter = Converters.ListenPort.class,
            description = "port of the admin HTTP listener: /metrics, /health/*, /drain (default: ${DEFAULT-VALUE})")
    int adminPort;

    @Option(
            names = "--admin-bind",
            paramLabel = "ADDR",
            defaultValue = "0.0.0.0",
            converter = Converters.BindAddress.class,
            description = "address of the admin listener; probes come from the kubelet (default: ${DEFAULT-VALUE})")
    String adminBind;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "10000",
            converter = Converters.Positive.class,
            description = "connections beyond this are refused and counted (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = Converters.NonNegativeDuration.class,
            description =
                    "close a connection after no inbound bytes for this long; 0 = never (default: ${DEFAULT-VALUE})")
    Duration idleTimeout;

    @Option(
            names = "--keepalive-idle",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = Converters.KeepaliveSeconds.class,
            description = "TCP keepalive: idle time before the first probe (default: ${DEFAULT-VALUE})")
    Duration keepaliveIdle;

    @Option(
            names = "--keepalive-interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.KeepaliveSeconds.class,
            description = "TCP keepalive: time between probes (default: ${DEFAULT-VALUE})")
    Duration keepaliveInterval;

    @Option(
            names = "--keepalive-count",
            paramLabel = "N",
            defaultValue = "3",
            converter = Converters.KeepaliveCount.class,
            description =
                    "TCP keepalive: unanswered probes before the connection is dropped (default: ${DEFAULT-VALUE})")
    int keepaliveCount;

    @Option(
            names = "--drain-delay",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.NonNegativeDuration.class,
            description = "on drain, keep accepting this long while endpoints propagate (default: ${DEFAULT-VALUE})")
    Duration drainDelay;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = Converters.NonNegativeDuration.class,
            description = "then wait this long for connections to end before force-closing (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(
            names = "--drain-close-rate",
            paramLabel = "N",
            defaultValue = "0",
            converter = Converters.NonNegative.class,
            description =
                    "drain: close or ask to go at most N connections per second, evenly spread; 0 = all at once (default: ${DEFAULT-VALUE})")
    int drainCloseRate;

    @Option(
            names = "--max-connection-age",
            paramLabel = "DURATION",
            defaultValue = "0",
            converter = Converters.NonNegativeDuration.class,
            description =
                    "ask a connection to go once it is this old (± the jitter); 0 = never (default: ${DEFAULT-VALUE})")
    Duration maxConnectionAge;

    @Option(
            names = "--max-connection-age-jitter",
            paramLabel = "PERCENT",
            defaultValue = "10",
            converter = Converters.AgeJitter.class,
            description =
                    "spread each connection's age uniformly by up to this many percent either way, 0-50 (default: ${DEFAULT-VALUE})")
    int maxConnectionAgeJitter;

    @Option(
            names = "--max-connection-age-grace",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = Converters.NonNegativeDuration.class,
            description =
                    "then close it if still open after this long; it goes sooner once idle (default: ${DEFAULT-VALUE})")
    Duration maxConnectionAgeGrace;

    @Option(
            names = "--upstream",
            converter = Converters.Upstream.class,
            paramLabel = "HOST:PORT",
            description = "backend of the proxy handler; required with --handler proxy, refused otherwise")
    HostPort upstream;

    @Option(
            names = "--upstream-connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = Converters.PositiveDuration.class,
            description = "budget for connecting to the upstream, retries included (default: ${DEFAULT-VALUE})")
    Duration upstreamConnectTimeout;

    @Option(
            names = "--breaker-failures",
            paramLabel = "N",
            defaultValue = "5",
            converter = Converters.Positive.class,
            description =
                    "proxy: consecutive upstream failures that open the circuit breaker (default: ${DEFAULT-VALUE})")
    int breakerFailures;

    @Option(
            names = "--breaker-cooldown",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.PositiveDuration.class,
            description = "proxy: how long the breaker stays open before one trial connect (default: ${DEFAULT-VALUE})")
    Duration breakerCooldown;

    @Option(
            names = "--log-level",
            defaultValue = "info",
            paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE})")
    LogLevel logLevel;

    @Option(
            names = "--plugins-dir",
            defaultValue = "/opt/tcpfleet/plugins",
            paramLabel = "DIR",
            description =
                    "jars in this directory may add handlers; a missing directory means none (default: ${DEFAULT-VALUE})")
    Path pluginsDir;

    @Option(
            names = "--backlog",
            paramLabel = "N",
            defaultValue = "1024",
            converter = Converters.Positive.class,
            description = "SO_BACKLOG of the data listener (default: ${DEFAULT-VALUE})")
    int backlog;

    @Option(
            names = "--worker-threads",
            paramLabel = "N",
            defaultValue = "0",
            converter = Converters.NonNegative.class,
            description =
                    "event loop threads; 0 = one per CPU the JVM sees (a pod: its CPU limit) (default: ${DEFAULT-VALUE})")
    int workerThreads;

    @Option(
            names = "--write-buffer-low",
            paramLabel = "BYTES",
            defaultValue = "32768",
            converter = Converters.Positive.class,
            description = "bytes: a connection becomes writable again below this (default: ${DEFAULT-VALUE})")
    int writeBufferLow;

    @Option(
            names = "--write-buffer-high",
            paramLabel = "BYTES",
            defaultValue = "65536",
            converter = Converters.Positive.class,
            description =
                    "bytes: above this a connection stops reading until its peer catches up (default: ${DEFAULT-VALUE})")
    int writeBufferHigh;

    @Option(
            names = "--blocking-threads",
            paramLabel = "N",
            defaultValue = "16",
            converter = Converters.Positive.class,
            description = "worker threads for plugins that declare they block (default: ${DEFAULT-VALUE})")
    int blockingThreads;

    @Option(
            names = "--blocking-queue",
            paramLabel = "N",
            defaultValue = "1024",
            converter = Converters.QueueSize.class,
            description =
                    "queued tasks per blocking worker, at least 16; beyond it work is refused and counted (default: ${DEFAULT-VALUE})")
    int blockingQueue;

    @Option(
            names = "--proxy-protocol",
            paramLabel = "MODE",
            defaultValue = "off",
            description =
                    "off, or required: each connection starts with a PROXY protocol v1 or v2 header (default: ${DEFAULT-VALUE})")
    ProxyProtocolMode proxyProtocol;

    @Option(
            names = "--proxy-protocol-timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.PositiveDuration.class,
            description =
                    "with --proxy-protocol required: close a connection whose header is not in by then (default: ${DEFAULT-VALUE})")
    Duration proxyProtocolTimeout;

    @Option(
            names = "--upstream-proxy-protocol",
            paramLabel = "MODE",
            defaultValue = "off",
            description =
                    "proxy: off, or v2: start each upstream connection with a PROXY v2 header naming the client (default: ${DEFAULT-VALUE})")
    UpstreamProxyProtocol upstreamProxyProtocol;

    @Option(
            names = "--upstream-tls",
            paramLabel = "BOOL",
            arity = "0..1",
            defaultValue = "false",
            fallbackValue = "true",
            description =
                    "proxy: speak TLS to the upstream, verifying its certificate and host name (default: ${DEFAULT-VALUE})")
    boolean upstreamTls;

    @Option(
            names = "--upstream-tls-ca",
            paramLabel = "FILE",
            description =
                    "with --upstream-tls: PEM CA certificates the upstream's chain must lead to; unset: the JDK's")
    Path upstreamTlsCa;

    @Option(
            names = "--upstream-tls-server-name",
            paramLabel = "NAME",
            converter = Converters.ServerName.class,
            description =
                    "with --upstream-tls: the name sent as SNI and expected in the upstream's certificate; unset: its host")
    String upstreamTlsServerName;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "PEM certificate chain (a Secret's tls.crt): the data port speaks TLS; needs --tls-key")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "PEM private key of --tls-cert (tls.key): PKCS#8, PKCS#1 RSA or SEC1 EC")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "FILE",
            description = "PEM CA certificates: clients must present a certificate they signed (mutual TLS)")
    Path tlsClientCa;

    @Option(
            names = "--tls-min-version",
            paramLabel = "VERSION",
            defaultValue = "TLSv1.2",
            converter = Converters.TlsVersion.class,
            description = "TLSv1.2 or TLSv1.3: older clients fail the handshake (default: ${DEFAULT-VALUE})")
    String tlsMinVersion;

    @Option(
            names = "--tls-ciphers",
            paramLabel = "LIST",
            split = ",",
            description = "TLS 1.2 cipher suites, comma-separated, IANA names; unset: the provider's strong defaults")
    List<String> tlsCiphers;

    @Option(
            names = "--tls-handshake-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.PositiveDuration.class,
            description = "close a connection whose TLS handshake is not done by then (default: ${DEFAULT-VALUE})")
    Duration tlsHandshakeTimeout;

    @Option(
            names = "--rebalance-file",
            paramLabel = "FILE",
            description =
                    "the pod's annotations (downward API file), read every second: tcpfleet.io/rebalance asks connections to go; unset: off")
    Path rebalanceFile;

    /** Cross-field rules; single values were already checked by their converters. */
    ServerConfig toConfig() {
        if ("proxy".equals(handler) && upstream == null) {
            throw new ConfigException("--handler proxy needs --upstream HOST:PORT (TCPFLEET_UPSTREAM)");
        }
        if (!"proxy".equals(handler) && upstream != null) {
            throw new ConfigException(
                    "--upstream '" + upstream + "' is only allowed with --handler proxy, not '" + handler + "'");
        }
        if (!"proxy".equals(handler) && upstreamProxyProtocol != UpstreamProxyProtocol.off) {
            throw new ConfigException("--upstream-proxy-protocol is only allowed with --handler proxy");
        }
        if (!"proxy".equals(handler) && upstreamTls) {
            throw new ConfigException("--upstream-tls is only allowed with --handler proxy");
        }
        if (!upstreamTls && (upstreamTlsCa != null || upstreamTlsServerName != null)) {
            throw new ConfigException(
                    "--upstream-tls-ca and --upstream-tls-server-name need --upstream-tls (TCPFLEET_UPSTREAM_TLS=true)");
        }
        if (writeBufferLow > writeBufferHigh) {
            throw new ConfigException(
                    "--write-buffer-low " + writeBufferLow + " is above --write-buffer-high " + writeBufferHigh);
        }
        if (port != 0 && port == adminPort) {
            throw new ConfigException("--port and --admin-port are both " + port);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ConfigException("--tls-cert and --tls-key go together (TCPFLEET_TLS_CERT, TCPFLEET_TLS_KEY)");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new ConfigException("--tls-client-ca needs --tls-cert and --tls-key");
        }
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
                drainCloseRate,
                maxConnectionAge,
                maxConnectionAgeJitter,
                maxConnectionAgeGrace,
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
                blockingQueue,
                proxyProtocol,
                proxyProtocolTimeout,
                tlsCert == null
                        ? null
                        : new TlsConfig(
                                tlsCert,
                                tlsKey,
                                tlsClientCa,
                                tlsMinVersion,
                                tlsCiphers == null ? List.of() : List.copyOf(tlsCiphers),
                                tlsHandshakeTimeout),
                upstreamProxyProtocol,
                upstreamTls ? new UpstreamTlsConfig(upstreamTlsCa, upstreamTlsServerName) : null,
                rebalanceFile == null || rebalanceFile.toString().isEmpty() ? null : rebalanceFile);
    }
}
