package io.tcpfleet.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tcpfleet.server.admin.AdminServer;
import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.config.ProxyProtocolMode;
import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.config.UpstreamProxyProtocol;
import io.tcpfleet.server.connection.ConnectionAge;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.GoAway;
import io.tcpfleet.server.drain.DrainCoordinator;
import io.tcpfleet.server.handler.EchoHandler;
import io.tcpfleet.server.handler.proxy.Backoff;
import io.tcpfleet.server.handler.proxy.CircuitBreaker;
import io.tcpfleet.server.handler.proxy.ProxyFrontendHandler;
import io.tcpfleet.server.handler.proxy.UpstreamConnector;
import io.tcpfleet.server.handler.proxy.UpstreamPreamble;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.ServerMetrics;
import io.tcpfleet.server.metrics.SocketStates;
import io.tcpfleet.server.pipeline.HandlerNames;
import io.tcpfleet.server.pipeline.ServerChannelInitializer;
import io.tcpfleet.server.plugin.PluginHandlers;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import io.tcpfleet.server.rebalance.Rebalancer;
import io.tcpfleet.server.tls.InvalidTlsMaterialException;
import io.tcpfleet.server.tls.ServerTls;
import io.tcpfleet.server.tls.UpstreamTls;
import io.tcpfleet.server.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One running server: the data listener, the admin listener, metrics and the drain, wired together.
 * {@link Main} runs one per process; integration tests start several in one JVM.
 */
public final class TcpfleetServer implements AutoCloseable {

    private static final Log LOG = Log.get(TcpfleetServer.class);
    private static final Duration BACKOFF_BASE = Duration.ofMillis(20);
    private static final Duration BACKOFF_CAP = Duration.ofMillis(500);

    private final ServerConfig config;
    private final Transport transport;
    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    /**
     * One for all connections: a channel's config would otherwise make its own, heap every idle
     * connection pays for; the per-connection sizing state lives in the handle each channel gets
     * from it (docs/bench/results.md, "Where an idle connection's heap goes").
     */
    private final AdaptiveRecvByteBufAllocator recvAllocator = new AdaptiveRecvByteBufAllocator();

    private final ServerMetrics metrics;
    private final ServerTls tls;
    private final UpstreamTls upstreamTls;
    private final ConnectionRegistry registry;
    private final EventLoopGroup workerGroup;
    private final int eventLoops;
    private final ExecutorService resolver;
    /** Asks aged connections of a plugin to go: its callback runs off the event loops. Null without one. */
    private final ExecutorService goAwayExecutor;

    private final PluginHandlers pluginHandlers;
    private final DrainCoordinator drain;
    private final Channel listener;
    private final AdminServer admin;
    /** Null without {@code --rebalance-file}. */
    private final Rebalancer rebalancer;

    private TcpfleetServer(ServerConfig config, Transport transport, Map<String, TcpfleetPlugin> plugins)
            throws InterruptedException {
        this.config = config;
        this.transport = transport;
        TcpfleetPlugin plugin = selectHandler(config, plugins);
        upstreamTls = startUpstreamTls(config);
        metrics = new ServerMetrics(allocator);
        tls = startTls(config, metrics);
        GoAway goAway = new GoAway(plugin == null ? open -> {} : plugin::onDrain);
        goAwayExecutor = plugin != null && !config.maxConnectionAge().isZero()
                ? Executors.newSingleThreadExecutor(daemon("tcpfleet-go-away"))
                : null;
        registry = new ConnectionRegistry(
                config.maxConnections(), config.idleTimeout(), connectionAge(config, goAway, goAwayExecutor));
        metrics.gaugeActiveConnections(registry::active);
        // One event loop per CPU (the JVM counts a container's CPU limit), not Netty's two: the same
        // throughput for less CPU, fewer wake-ups (docs/bench/tuning.md).
        int threads = config.workerThreads() > 0
                ? config.workerThreads()
                : Runtime.getRuntime().availableProcessors();
        workerGroup = transport.newGroup(threads, "tcpfleet-io");
        eventLoops = threads;
        resolver = Executors.newSingleThreadExecutor(daemon("tcpfleet-dns"));
        pluginHandlers = plugin == null
                ? null
                : new PluginHandlers(plugin, metrics, config.blockingThreads(), config.blockingQueue());
        drain = new DrainCoordinator(
                config.drainDelay(),
                config.drainTimeout(),
                config.drainCloseRate(),
                registry,
                metrics,
                this::closeListener,
                goAway);
        metrics.gaugeDraining(() -> drain.isDraining() ? 1 : 0);
        boolean proxy = "proxy".equals(config.handler());
        if (!proxy) {
            metrics.gaugeCircuitOpen(() -> 0); // exported by every server so dashboards need no special case
        }
        listener = bindListener(proxy ? proxyInstaller() : handlerInstaller(), proxy);
        metrics.gaugeMaxConnections(config.maxConnections());
        if (SocketStates.available()) {
            int dataPort = address().getPort();
            metrics.gaugeSockets(new SocketStates(
                    SocketStates.PROC_FILES, () -> dataPort, TimeUnit.SECONDS.toNanos(1), System::nanoTime));
        }
        try {
            admin = new AdminServer(
                    transport,
                    allocator,
                    config.adminBind(),
                    config.adminPort(),
                    metrics::scrape,
                    this::ready,
                    this::checkEventLoops,
                    drain);
        } catch (InterruptedException | RuntimeException e) {
            listener.close().syncUninterruptibly();
            stopGroups();
            throw e;
        }
        rebalancer = config.rebalanceFile() == null
                ? null
                : Rebalancer.start(
                        config.rebalanceFile(),
                        registry,
                        goAway,
                        drain::isDraining,
                        config.maxConnectionAgeGrace(),
                        config.drainDelay(),
                        metrics);
        LOG.info(
                "tcpfleet server listening",
                "handler",
                config.handler(),
                "transport",
                transport.name(),
                "address",
                String.valueOf(listener.localAddress()),
                "admin",
                String.valueOf(admin.address()),
                "proxyProtocol",
                config.proxyProtocol().name(),
                "maxConnections",
                config.maxConnections(),
                "maxConnectionAgeMs",
                config.maxConnectionAge().toMillis(),
                "eventLoops",
                threads);
    }

    /** Ready for new clients: bound, not draining, and not shedding connections for a rebalance round. */
    private boolean ready() {
        return !drain.isDraining() && listener.isActive() && (rebalancer == null || !rebalancer.shedding());
    }

    /** Null without {@code --max-connection-age}; echo and proxy are asked on their event loop. */
    private static ConnectionAge connectionAge(ServerConfig config, GoAway goAway, ExecutorService pluginAsks) {
        if (config.maxConnectionAge().isZero()) {
            return null;
        }
        return new ConnectionAge(
                config.maxConnectionAge(),
                config.maxConnectionAgeJitter(),
                config.maxConnectionAgeGrace(),
                goAway,
                pluginAsks != null ? pluginAsks : Runnable::run);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts a server; on failure everything it started is stopped again. */
    public static TcpfleetServer start(ServerConfig config, Transport transport, Map<String, TcpfleetPlugin> plugins)
            throws InterruptedException {
        return new TcpfleetServer(config, transport, plugins);
    }

    /** The plugin {@code --handler} names, null for echo and proxy; a {@link ConfigException} if none has that name. */
    public static TcpfleetPlugin selectHandler(ServerConfig config, Map<String, TcpfleetPlugin> plugins) {
        String name = config.handler();
        if (name.equals("echo") || name.equals("proxy")) {
            return null;
        }
        TcpfleetPlugin plugin = plugins.get(name);
        if (plugin == null) {
            throw new ConfigException("--handler '" + name + "' is not echo, proxy or a loaded plugin"
                    + (plugins.isEmpty()
                            ? " (no plugins found)"
                            : " (plugins: " + String.join(", ", plugins.keySet()) + ")"));
        }
        return plugin;
    }

    /** TLS from the configured files, or a {@link ConfigException} saying in one line why they cannot serve. */
    private static ServerTls startTls(ServerConfig config, ServerMetrics metrics) {
        if (config.tls() == null) {
            return null;
        }
        try {
            return ServerTls.start(config.tls(), metrics);
        } catch (InvalidTlsMaterialException e) {
            metrics.close();
            throw new ConfigException("--tls-cert " + config.tls().certificate() + " / --tls-key "
                    + config.tls().key() + ": " + e.getMessage());
        }
    }

    /** The upstream's TLS context, or a {@link ConfigException} saying in one line why the CA file cannot serve. */
    private static UpstreamTls startUpstreamTls(ServerConfig config) {
        if (config.upstreamTls() == null) {
            return null;
        }
        try {
            return UpstreamTls.start(config.upstreamTls(), config.upstream());
        } catch (InvalidTlsMaterialException e) {
            throw new ConfigException(
                    "--upstream-tls-ca " + config.upstreamTls().ca() + ": " + e.getMessage());
        }
    }

    private Consumer<ChannelPipeline> handlerInstaller() {
        if (pluginHandlers != null) {
            return pluginHandlers::addTo;
        }
        return p -> p.addLast(HandlerNames.HANDLER, EchoHandler.INSTANCE);
    }

    private Consumer<ChannelPipeline> proxyInstaller() {
        CircuitBreaker breaker =
                new CircuitBreaker(config.breakerFailures(), config.breakerCooldown(), System::nanoTime);
        metrics.gaugeCircuitOpen(() -> breaker.isOpen() ? 1 : 0);
        Backoff backoff = new Backoff(
                BACKOFF_BASE, BACKOFF_CAP, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        UpstreamConnector connector = new UpstreamConnector(
                config.upstream(),
                config.upstreamConnectTimeout(),
                breaker,
                backoff,
                metrics,
                transport
                        .clientBootstrap()
                        .option(ChannelOption.ALLOCATOR, allocator)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, recvAllocator)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark()),
                resolver,
                new UpstreamPreamble(config.upstreamProxyProtocol() == UpstreamProxyProtocol.v2, upstreamTls));
        return p -> p.addLast(HandlerNames.HANDLER, new ProxyFrontendHandler(connector));
    }

    private Channel bindListener(Consumer<ChannelPipeline> installer, boolean readsSteeredByHandler)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                // The listener is registered on one of the event loops, as Go's netpoller accepts: a new
                // connection wakes one thread, not an accept thread and then its event loop.
                .group(workerGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, recvAllocator)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(new ServerChannelInitializer(
                        registry,
                        metrics,
                        readsSteeredByHandler,
                        installer,
                        config.proxyProtocol() == ProxyProtocolMode.required ? config.proxyProtocolTimeout() : null,
                        tls));
        transport.keepalive(bootstrap, config.keepaliveIdle(), config.keepaliveInterval(), config.keepaliveCount());
        try {
            return bootstrap.bind(config.bind(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            stopGroups();
            throw e;
        }
    }

    private WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh());
    }

    private void closeListener() {
        listener.close().syncUninterruptibly();
    }

    /** Liveness: every data event loop runs a task within a second. */
    private void checkEventLoops(Consumer<Boolean> answer) {
        AtomicInteger pending = new AtomicInteger(eventLoops);
        AtomicInteger answered = new AtomicInteger();
        Runnable done = () -> {
            if (pending.decrementAndGet() == 0 && answered.compareAndSet(0, 1)) {
                answer.accept(true);
            }
        };
        for (EventExecutor loop : workerGroup) {
            loop.execute(done);
        }
        // Not on an event loop: the one that is stuck could be the one to say so.
        GlobalEventExecutor.INSTANCE.schedule(
                () -> {
                    if (answered.compareAndSet(0, 1)) {
                        answer.accept(false);
                    }
                },
                1,
                TimeUnit.SECONDS);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The TLS provider of the data port (OPENSSL: netty-tcnative's BoringSSL), null without TLS. */
    public io.netty.handler.ssl.SslProvider tlsProvider() {
        return tls == null ? null : tls.provider();
    }

    public ConnectionRegistry connections() {
        return registry;
    }

    public DrainCoordinator drain() {
        return drain;
    }

    /** Stops everything now (after a drain, or in tests); open connections are simply closed. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        admin.close();
        stopGroups();
        metrics.close();
    }

    private void stopGroups() {
        if (rebalancer != null) {
            rebalancer.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (pluginHandlers != null) {
            pluginHandlers.close();
        }
        resolver.shutdownNow();
        if (goAwayExecutor != null) {
            goAwayExecutor.shutdownNow();
        }
        // Short: this runs after the drain, inside the pod's grace period.
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
