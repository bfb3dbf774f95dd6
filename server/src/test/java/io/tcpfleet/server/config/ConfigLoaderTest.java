package io.tcpfleet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    /** The defaults --help shows. */
    private static final ServerConfig DOCUMENTED_DEFAULTS = new ServerConfig(
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
            0,
            Duration.ZERO,
            10,
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
            1024,
            ProxyProtocolMode.off,
            Duration.ofSeconds(5),
            null,
            UpstreamProxyProtocol.off,
            null,
            null);

    /** flag, a valid value, what the config then holds. */
    static Stream<Arguments> everyFlag() {
        return Stream.of(
                flag("--handler", "ping", ServerConfig::handler, "ping"),
                flag("--port", "7100", ServerConfig::port, 7100),
                flag("--bind", "127.0.0.1", ServerConfig::bind, "127.0.0.1"),
                flag("--admin-port", "9191", ServerConfig::adminPort, 9191),
                flag("--admin-bind", "::1", ServerConfig::adminBind, "::1"),
                flag("--max-connections", "100", ServerConfig::maxConnections, 100),
                flag("--idle-timeout", "0", ServerConfig::idleTimeout, Duration.ZERO),
                flag("--keepalive-idle", "2m", ServerConfig::keepaliveIdle, Duration.ofMinutes(2)),
                flag("--keepalive-interval", "5s", ServerConfig::keepaliveInterval, Duration.ofSeconds(5)),
                flag("--keepalive-count", "9", ServerConfig::keepaliveCount, 9),
                flag("--drain-delay", "250ms", ServerConfig::drainDelay, Duration.ofMillis(250)),
                flag("--drain-timeout", "1h30m", ServerConfig::drainTimeout, Duration.ofMinutes(90)),
                flag("--drain-close-rate", "500", ServerConfig::drainCloseRate, 500),
                flag("--max-connection-age", "1h", ServerConfig::maxConnectionAge, Duration.ofHours(1)),
                flag("--max-connection-age-jitter", "50", ServerConfig::maxConnectionAgeJitter, 50),
                flag("--max-connection-age-jitter", "0", ServerConfig::maxConnectionAgeJitter, 0),
                flag("--max-connection-age-grace", "0", ServerConfig::maxConnectionAgeGrace, Duration.ZERO),
                flag(
                        "--upstream-connect-timeout",
                        "1.5s",
                        ServerConfig::upstreamConnectTimeout,
                        Duration.ofMillis(1500)),
                flag("--breaker-failures", "3", ServerConfig::breakerFailures, 3),
                flag("--breaker-cooldown", "10s", ServerConfig::breakerCooldown, Duration.ofSeconds(10)),
                flag("--log-level", "debug", ServerConfig::logLevel, LogLevel.debug),
                flag("--log-level", "WARN", ServerConfig::logLevel, LogLevel.warn),
                flag("--plugins-dir", "/tmp/p", ServerConfig::pluginsDir, Path.of("/tmp/p")),
                flag("--backlog", "4096", ServerConfig::backlog, 4096),
                flag("--worker-threads", "3", ServerConfig::workerThreads, 3),
                flag("--write-buffer-low", "1024", ServerConfig::writeBufferLow, 1024),
                flag("--write-buffer-high", "131072", ServerConfig::writeBufferHigh, 131072),
                flag("--blocking-threads", "4", ServerConfig::blockingThreads, 4),
                flag("--blocking-queue", "16", ServerConfig::blockingQueue, 16),
                flag("--proxy-protocol", "required", ServerConfig::proxyProtocol, ProxyProtocolMode.required),
                flag("--proxy-protocol-timeout", "750ms", ServerConfig::proxyProtocolTimeout, Duration.ofMillis(750)),
                flag(
                        "--rebalance-file",
                        "/etc/podinfo/annotations",
                        ServerConfig::rebalanceFile,
                        Path.of("/etc/podinfo/annotations")),
                // TCPFLEET_REBALANCE_FILE="" is how an environment says "off".
                flag("--rebalance-file", "", ServerConfig::rebalanceFile, null));
    }

    private static Arguments flag(String flag, String value, Function<ServerConfig, Object> field, Object expected) {
        return arguments(flag, value, field, expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyFlag")
    void everyFlagSetsItsSetting(String flag, String value, Function<ServerConfig, Object> field, Object expected) {
        ServerConfig config = parse(Map.of(), flag, value);
        assertThat(field.apply(config)).isEqualTo(expected);
        assertThat(field.apply(parse(Map.of(), flag + "=" + value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyFlag")
    void everyFlagHasAnEnvironmentTwin(
            String flag, String value, Function<ServerConfig, Object> field, Object expected) {
        String env = "TCPFLEET_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
        assertThat(field.apply(parse(Map.of(env, value)))).isEqualTo(expected);
    }

    @Test
    void upstreamFlagAndTwin() {
        assertThat(parse(Map.of(), "--handler", "proxy", "--upstream", "redis.db.svc:6379")
                        .upstream())
                .isEqualTo(new HostPort("redis.db.svc", 6379));
        assertThat(parse(Map.of("TCPFLEET_HANDLER", "proxy", "TCPFLEET_UPSTREAM", "[::1]:7000"))
                        .upstream())
                .isEqualTo(new HostPort("::1", 7000));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(parse(Map.of())).isEqualTo(DOCUMENTED_DEFAULTS);
    }

    @Test
    void theContractVariablesAreAllKnown() {
        assertThat(ConfigLoader.envTwins())
                .containsKeys(
                        "TCPFLEET_HANDLER",
                        "TCPFLEET_PORT",
                        "TCPFLEET_ADMIN_PORT",
                        "TCPFLEET_BIND",
                        "TCPFLEET_ADMIN_BIND",
                        "TCPFLEET_MAX_CONNECTIONS",
                        "TCPFLEET_IDLE_TIMEOUT",
                        "TCPFLEET_KEEPALIVE_IDLE",
                        "TCPFLEET_KEEPALIVE_INTERVAL",
                        "TCPFLEET_KEEPALIVE_COUNT",
                        "TCPFLEET_DRAIN_DELAY",
                        "TCPFLEET_DRAIN_TIMEOUT",
                        "TCPFLEET_DRAIN_CLOSE_RATE",
                        "TCPFLEET_MAX_CONNECTION_AGE",
                        "TCPFLEET_MAX_CONNECTION_AGE_JITTER",
                        "TCPFLEET_MAX_CONNECTION_AGE_GRACE",
                        "TCPFLEET_UPSTREAM",
                        "TCPFLEET_UPSTREAM_CONNECT_TIMEOUT",
                        "TCPFLEET_LOG_LEVEL",
                        "TCPFLEET_PLUGINS_DIR");
    }

    @Test
    void tlsFlagsAndTwinsMakeATlsConfig() {
        TlsConfig tls = parse(
                        Map.of("TCPFLEET_TLS_KEY", "/tls/tls.key", "TCPFLEET_TLS_CIPHERS", "A,B"),
                        "--tls-cert",
                        "/tls/tls.crt",
                        "--tls-client-ca",
                        "/ca/ca.crt",
                        "--tls-min-version",
                        "TLSv1.3",
                        "--tls-handshake-timeout",
                        "2s")
                .tls();
        assertThat(tls)
                .isEqualTo(new TlsConfig(
                        Path.of("/tls/tls.crt"),
                        Path.of("/tls/tls.key"),
                        Path.of("/ca/ca.crt"),
                        "TLSv1.3",
                        java.util.List.of("A", "B"),
                        Duration.ofSeconds(2)));
        assertThat(parse(Map.of(), "--tls-cert", "c", "--tls-key", "k").tls().minVersion())
                .isEqualTo("TLSv1.2");
    }

    @Test
    void upstreamTlsFlagsAndTwinsMakeAnUpstreamTlsConfig() {
        String[] proxy = {"--handler", "proxy", "--upstream", "10.0.0.5:5432"};
        assertThat(parse(Map.of(), proxy).upstreamTls()).as("off by default").isNull();
        assertThat(parse(Map.of("TCPFLEET_UPSTREAM_TLS", "true"), proxy).upstreamTls())
                .isEqualTo(new UpstreamTlsConfig(null, null));
        assertThat(parse(Map.of("TCPFLEET_UPSTREAM_TLS", "false"), proxy).upstreamTls())
                .isNull();
        String[] all = {
            "--handler",
            "proxy",
            "--upstream",
            "10.0.0.5:5432",
            "--upstream-tls",
            "--upstream-tls-ca",
            "/ca/ca.crt",
            "--upstream-tls-server-name",
            "db.prod.svc"
        };
        assertThat(parse(Map.of(), all).upstreamTls())
                .isEqualTo(new UpstreamTlsConfig(Path.of("/ca/ca.crt"), "db.prod.svc"));
    }

    @Test
    void upstreamTlsFlagsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--upstream-tls"))
                .hasMessageContaining("--upstream-tls is only allowed with --handler proxy");
        assertThatThrownBy(() ->
                        parse(Map.of(), "--handler", "proxy", "--upstream", "db:5432", "--upstream-tls-ca", "/ca.crt"))
                .hasMessageContaining("--upstream-tls-ca and --upstream-tls-server-name need --upstream-tls");
        assertThatThrownBy(() ->
                        parse(Map.of("TCPFLEET_UPSTREAM_TLS", "yes"), "--handler", "proxy", "--upstream", "db:5432"))
                .hasMessageStartingWith("TCPFLEET_UPSTREAM_TLS='yes' (--upstream-tls)");
        assertThatThrownBy(() -> parse(
                        Map.of(),
                        "--handler",
                        "proxy",
                        "--upstream",
                        "db:5432",
                        "--upstream-tls",
                        "--upstream-tls-server-name",
                        "db prod"))
                .hasMessageContaining("'db prod' is not a DNS name or an IP address");
    }

    @Test
    void tlsFlagsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--tls-cert", "/tls/tls.crt"))
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse(Map.of(), "--tls-client-ca", "/ca.crt"))
                .hasMessageContaining("--tls-client-ca needs --tls-cert");
        assertThatThrownBy(() -> parse(Map.of(), "--tls-cert", "c", "--tls-key", "k", "--tls-min-version", "TLSv1.1"))
                .hasMessageContaining("'TLSv1.1' is not TLSv1.2 or TLSv1.3");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        assertThat(parse(Map.of("TCPFLEET_PORT", "7001"), "--port", "7002").port())
                .isEqualTo(7002);
    }

    /** flag, a bad value, something the one-line error must say. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments("--handler", "Echo!", "not a handler name"),
                arguments("--handler", "", "not a handler name"),
                arguments("--port", "abc", "not a whole number"),
                arguments("--port", "65536", "not in 0-65535"),
                arguments("--port", "-1", "not in 0-65535"),
                arguments("--bind", "my-host", "not an IP address"),
                arguments("--bind", "300.1.1.1", "not an IP address"),
                arguments("--admin-port", "99999", "not in 0-65535"),
                arguments("--admin-bind", "", "not an IP address"),
                arguments("--max-connections", "0", "not in 1-"),
                arguments("--max-connections", "ten", "not a whole number"),
                arguments("--idle-timeout", "5", "missing unit"),
                arguments("--idle-timeout", "-1s", "sign"),
                arguments("--keepalive-idle", "0", "whole seconds"),
                arguments("--keepalive-idle", "1500ms", "whole seconds"),
                arguments("--keepalive-interval", "40000s", "whole seconds"),
                arguments("--keepalive-count", "0", "not in 1-127"),
                arguments("--keepalive-count", "128", "not in 1-127"),
                arguments("--drain-delay", "5 s", "not a duration"),
                arguments("--drain-timeout", "1d", "unknown unit 'd'"),
                arguments("--drain-close-rate", "-1", "not in 0-"),
                arguments("--drain-close-rate", "fast", "not a whole number"),
                arguments("--max-connection-age", "-5m", "sign"),
                arguments("--max-connection-age", "1", "missing unit"),
                arguments("--max-connection-age-jitter", "51", "not in 0-50"),
                arguments("--max-connection-age-jitter", "-1", "not in 0-50"),
                arguments("--max-connection-age-jitter", "10%", "not a whole number"),
                arguments("--max-connection-age-grace", "-1s", "sign"),
                arguments("--upstream", "redis", "not host:port"),
                arguments("--upstream", "redis:0", "not in 1-65535"),
                arguments("--upstream", "redis:http", "not a number"),
                arguments("--upstream", "::1:80", "IPv6"),
                arguments("--upstream-connect-timeout", "0", "more than 0"),
                arguments("--breaker-failures", "0", "not in 1-"),
                arguments("--breaker-cooldown", "0s", "more than 0"),
                arguments("--log-level", "loud", "expected one of"),
                arguments("--backlog", "0", "not in 1-"),
                arguments("--worker-threads", "-2", "not in 0-"),
                arguments("--write-buffer-low", "0", "not in 1-"),
                arguments("--write-buffer-high", "lots", "not a whole number"),
                arguments("--blocking-threads", "0", "not in 1-"),
                arguments("--blocking-queue", "15", "not in 16-"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badValues")
    void aBadFlagValueIsOneLineNamingFlagAndValue(String flag, String value, String why) {
        assertThatThrownBy(() -> parse(Map.of(), flag + "=" + value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(flag)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badValues")
    void aBadEnvironmentValueNamesTheVariable(String flag, String value, String why) {
        String env = "TCPFLEET_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
        assertThatThrownBy(() -> parse(Map.of(env, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(env + "='" + value + "' (" + flag + ")")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** A newer operator sets a variable this (older, pinned) server does not know: it runs, and says so. */
    @Test
    void anUnknownTcpfleetVariableIsSkippedAndReported() {
        ConfigLoader.Parsed parsed =
                ConfigLoader.parse(new String[0], Map.of("TCPFLEET_PORT", "7100", "TCPFLEET_SOME_NEWER_SETTING", "on"));
        assertThat(parsed.unknownVariables()).containsExactly("TCPFLEET_SOME_NEWER_SETTING");
        assertThat(parsed.config().port()).isEqualTo(7100);
        assertThat(parsed.config().maxConnections()).isEqualTo(DOCUMENTED_DEFAULTS.maxConnections());
    }

    @Test
    void anUnknownVariableDoesNotExcuseABadValueOfAKnownOne() {
        assertThatThrownBy(() -> parse(Map.of("TCPFLEET_SOME_NEWER_SETTING", "on", "TCPFLEET_PORT", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("TCPFLEET_PORT='abc' (--port)");
    }

    /** An older operator does not send a setting this server added: the server's default applies. */
    @Test
    void aSettingTheOperatorLeavesOutKeepsTheServersDefault() {
        ServerConfig config = parse(Map.of("TCPFLEET_HANDLER", "echo", "TCPFLEET_PORT", "7000"));
        assertThat(config.backlog()).isEqualTo(DOCUMENTED_DEFAULTS.backlog());
        assertThat(config.blockingThreads()).isEqualTo(DOCUMENTED_DEFAULTS.blockingThreads());
        assertThat(config.breakerCooldown()).isEqualTo(DOCUMENTED_DEFAULTS.breakerCooldown());
    }

    @Test
    void otherVariablesAndTestHarnessOnesAreIgnored() {
        ConfigLoader.Parsed parsed =
                ConfigLoader.parse(new String[0], Map.of("PATH", "/bin", "TCPFLEET_TEST_KUBECONFIG", "/k"));
        assertThat(parsed.config()).isEqualTo(DOCUMENTED_DEFAULTS);
        assertThat(parsed.unknownVariables()).isEmpty();
    }

    @Test
    void anUnknownFlagIsRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--prot", "7000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--prot");
    }

    @Test
    void argumentFilesAreNotExpanded() {
        assertThatThrownBy(() -> parse(Map.of("TCPFLEET_PORT", "@/etc/passwd")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'@/etc/passwd'");
    }

    @Test
    void proxyNeedsAnUpstream() {
        assertThatThrownBy(() -> parse(Map.of(), "--handler", "proxy"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--handler proxy needs --upstream");
    }

    @Test
    void anUpstreamWithoutProxyIsRefused() {
        assertThatThrownBy(() -> parse(Map.of("TCPFLEET_UPSTREAM", "db:5432")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--upstream 'db:5432' is only allowed with --handler proxy");
    }

    @Test
    void lowWaterMarkAboveHighIsRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--write-buffer-low", "70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--write-buffer-low 70000 is above --write-buffer-high 65536");
    }

    @Test
    void dataAndAdminOnTheSamePortIsRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--port", "9090"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--port and --admin-port are both 9090");
    }

    @Test
    void helpListsEveryFlagAndTheEnvironmentRule() {
        ConfigLoader.Parsed parsed = ConfigLoader.parse(new String[] {"--help"}, Map.of());
        assertThat(parsed.config()).isNull();
        for (String flag : ConfigLoader.envTwins().values()) {
            assertThat(parsed.text()).contains(flag);
        }
        assertThat(parsed.text()).contains("TCPFLEET_IDLE_TIMEOUT");
    }

    private static ServerConfig parse(Map<String, String> env, String... args) {
        return ConfigLoader.parse(args, env).config();
    }
}
