package io.tcpfleet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.TcpfleetServer;
import io.tcpfleet.server.config.ConfigLoader;
import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.plugin.PluginLoader;
import io.tcpfleet.server.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server on loopback ephemeral ports, with the plugins on the test class path. It is
 * configured by command-line flags, through the same parser as the real server. Started by a test,
 * or for all tests of a class by {@code @RegisterExtension static final TestServer server =
 * TestServer.perClass();}.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final String[] flags;
    private TcpfleetServer server;

    private TestServer(TcpfleetServer server, String... flags) {
        this.server = server;
        this.flags = flags;
    }

    /** A server started before the class's first test and stopped after its last. */
    public static TestServer perClass(String... flags) {
        return new TestServer(null, flags);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        server = start(flags).server;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A server with {@code flags} on top of the defaults. */
    public static TestServer start(String... flags) throws InterruptedException {
        return start(Transport.detect(), flags);
    }

    public static TestServer start(Transport transport, String... flags) throws InterruptedException {
        return new TestServer(TcpfleetServer.start(
                config(0, flags), transport, PluginLoader.load(null, TestServer.class.getClassLoader())));
    }

    /** Same, but on a given data port (the proxy tests bring an upstream back on its old port). */
    public static TestServer startOnPort(int port, String... flags) throws InterruptedException {
        return new TestServer(TcpfleetServer.start(config(port, flags), Transport.detect(), Map.of()));
    }

    /** What the server makes of {@code flags}, listening on loopback, the data listener on {@code port}. */
    private static ServerConfig config(int port, String... flags) {
        List<String> args = new ArrayList<>(List.of(
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--admin-bind",
                "127.0.0.1",
                "--admin-port",
                "0"));
        args.addAll(List.of(flags));
        return ConfigLoader.parse(args.toArray(String[]::new), Map.of()).config();
    }

    public TcpfleetServer server() {
        return server;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public InetSocketAddress admin() {
        return server.adminAddress();
    }

    /** /metrics, parsed strictly. */
    public Map<String, Double> metrics() {
        return PrometheusText.parse(Http.get(admin(), "/metrics").body());
    }

    public double metric(String series) {
        Double value = metrics().get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in /metrics");
        }
        return value;
    }

    /**
     * Waits up to 10 s for {@code series} to read {@code expected}: a connection's close is counted
     * once its channel is gone, which may be just after the client saw the FIN.
     */
    public void awaitMetric(String series, double expected) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metric(series)).as(series).isEqualTo(expected));
    }

    /** Bytes written to this server's open connections that their sockets have not taken yet. */
    public long unsentBytes() {
        return server.connections().openChannels().stream()
                .mapToLong(ch -> ConnectionTracker.of(ch).unsentBytes())
                .sum();
    }

    @Override
    public void close() {
        server.close();
    }
}
