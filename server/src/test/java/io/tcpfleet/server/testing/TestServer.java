package io.tcpfleet.server.testing;

import io.tcpfleet.server.TcpfleetServer;
import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.plugin.PluginLoader;
import io.tcpfleet.server.transport.Transport;
import java.net.InetSocketAddress;
import java.util.Map;

/** A real server on loopback ephemeral ports, with the plugins on the test class path. */
public final class TestServer implements AutoCloseable {

    private final TcpfleetServer server;

    private TestServer(TcpfleetServer server) {
        this.server = server;
    }

    public static TestServer start(ServerConfig config) throws InterruptedException {
        return start(config, Transport.detect());
    }

    public static TestServer start(ServerConfig config, Transport transport) throws InterruptedException {
        ServerConfig loopback = config.onLoopbackEphemeralPorts();
        return new TestServer(
                TcpfleetServer.start(loopback, transport, PluginLoader.load(null, TestServer.class.getClassLoader())));
    }

    /** Same, but on a given data port (the proxy tests bring an upstream back on its old port). */
    public static TestServer startOnPort(ServerConfig config, int port) throws InterruptedException {
        ServerConfig loopback = config.onLoopbackEphemeralPorts();
        ServerConfig fixed = new ServerConfig(
                loopback.handler(),
                loopback.bind(),
                port,
                loopback.adminBind(),
                0,
                loopback.maxConnections(),
                loopback.idleTimeout(),
                loopback.keepaliveIdle(),
                loopback.keepaliveInterval(),
                loopback.keepaliveCount(),
                loopback.drainDelay(),
                loopback.drainTimeout(),
                loopback.upstream(),
                loopback.upstreamConnectTimeout(),
                loopback.breakerFailures(),
                loopback.breakerCooldown(),
                loopback.logLevel(),
                loopback.pluginsDir(),
                loopback.backlog(),
                loopback.workerThreads(),
                loopback.writeBufferLow(),
                loopback.writeBufferHigh(),
                loopback.blockingThreads(),
                loopback.blockingQueue());
        return new TestServer(TcpfleetServer.start(fixed, Transport.detect(), Map.of()));
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

    @Override
    public void close() {
        server.close();
    }
}
