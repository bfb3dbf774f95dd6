package io.tcpfleet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The server's meters, created once; handlers keep references and never look meters up. */
public final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted;
    private final Map<RefuseReason, Counter> refused;
    private final Map<CloseReason, Counter> closed;
    private final Timer connectionDuration;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Timer upstreamConnect;
    private final Counter upstreamFailures;
    private final Counter workerRejected;
    private Map<TlsHandshakeResult, Counter> tlsHandshakes;
    private Map<TlsReloadResult, Counter> tlsReloads;
    private Map<RebalanceResult, Counter> rebalanceRequests;
    private JvmGcMetrics gcMetrics;

    public ServerMetrics(PooledByteBufAllocator allocator) {
        accepted = counter(
                MeterNames.CONNECTIONS_ACCEPTED, "TCP connections accepted by the listener (admitted or refused)");
        refused = byReason(RefuseReason.class, MeterNames.CONNECTIONS_REFUSED, "connections closed right after accept");
        closed = byReason(CloseReason.class, MeterNames.CONNECTIONS_CLOSED, "connections closed, by reason");
        connectionDuration = Timer.builder(MeterNames.CONNECTION_DURATION)
                .description("how long connections stayed open")
                .serviceLevelObjectives(
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(10),
                        Duration.ofHours(1))
                .register(registry);
        bytesReceived = counter(MeterNames.BYTES_RECEIVED, "bytes read from clients");
        bytesSent = counter(MeterNames.BYTES_SENT, "bytes written to clients");
        upstreamConnect = Timer.builder(MeterNames.UPSTREAM_CONNECT)
                .description("time to connect to the upstream, retries included")
                .serviceLevelObjectives(
                        Duration.ofMillis(1),
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry);
        upstreamFailures = counter(MeterNames.UPSTREAM_FAILURES, "failed upstream connect attempts");
        workerRejected = counter(MeterNames.WORKER_REJECTED, "work refused because the blocking worker queue was full");
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(allocator).bindTo(registry);
    }

    public void gaugeActiveConnections(DoubleSupplier active) {
        gauge(MeterNames.CONNECTIONS_ACTIVE, "open client connections", active);
    }

    public void gaugeDraining(DoubleSupplier draining) {
        gauge(MeterNames.DRAINING, "1 once a drain has started", draining);
    }

    public void gaugeCircuitOpen(DoubleSupplier open) {
        gauge(MeterNames.UPSTREAM_CIRCUIT_OPEN, "1 while the upstream circuit breaker refuses connects", open);
    }

    public void gaugeMaxConnections(int max) {
        gauge(MeterNames.CONNECTIONS_MAX, "--max-connections: active connections beyond it are refused", () -> max);
    }

    /** Registers the TLS meters; only a server with TLS on exports them. */
    public void enableTls() {
        tlsHandshakes = byTag(
                TlsHandshakeResult.class,
                MeterNames.TLS_HANDSHAKES,
                MeterNames.TAG_RESULT,
                "TLS handshakes on the data port, by result");
        tlsReloads = byTag(
                TlsReloadResult.class,
                MeterNames.TLS_RELOADS,
                MeterNames.TAG_RESULT,
                "changed TLS files: taken (success) or kept out, the old certificate still served (failure)");
    }

    /** Registers the rebalance meter; only a server with {@code --rebalance-file} exports it. */
    public void enableRebalance() {
        rebalanceRequests = byTag(
                RebalanceResult.class,
                MeterNames.REBALANCE_REQUESTS,
                MeterNames.TAG_RESULT,
                "new values of the tcpfleet.io/rebalance annotation, by what the server made of them");
    }

    public Counter rebalanceRequest(RebalanceResult result) {
        return rebalanceRequests.get(result);
    }

    public void gaugeTlsCertificateExpiry(DoubleSupplier epochSeconds) {
        Gauge.builder(MeterNames.TLS_CERTIFICATE_EXPIRY, epochSeconds, DoubleSupplier::getAsDouble)
                .strongReference(true)
                .baseUnit("seconds")
                .description("when the served certificate expires, in seconds since the epoch")
                .register(registry);
    }

    public Counter tlsHandshake(TlsHandshakeResult result) {
        return tlsHandshakes.get(result);
    }

    public Counter tlsReload(TlsReloadResult result) {
        return tlsReloads.get(result);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** One counter per constant, tagged with it as the reason. */
    private <R extends Enum<R>> Map<R, Counter> byReason(Class<R> reasons, String name, String description) {
        return byTag(reasons, name, MeterNames.TAG_REASON, description);
    }

    /** One counter per enum constant, the constant as {@code tag}. */
    private <R extends Enum<R>> Map<R, Counter> byTag(Class<R> values, String name, String tag, String description) {
        Map<R, Counter> counters = new EnumMap<>(values);
        for (R value : values.getEnumConstants()) {
            counters.put(
                    value,
                    Counter.builder(name)
                            .tag(tag, value.name())
                            .description(description)
                            .register(registry));
        }
        return counters;
    }

    private void gauge(String name, String description, DoubleSupplier value) {
        Gauge.builder(name, value, DoubleSupplier::getAsDouble)
                .strongReference(true)
                .description(description)
                .register(registry);
    }

    /** {@code tcpfleet_sockets{state}}: one gauge per kernel TCP state, all reading one cached snapshot. */
    public void gaugeSockets(SocketStates sockets) {
        for (SocketStates.State state : SocketStates.State.values()) {
            Gauge.builder(MeterNames.SOCKETS, sockets, s -> s.count(state))
                    .strongReference(true)
                    .tag(MeterNames.TAG_STATE, state.name())
                    .description("kernel TCP sockets on the data port, by state (/proc/net/tcp, tcp6)")
                    .register(registry);
        }
    }

    public Counter accepted() {
        return accepted;
    }

    public Counter refused(RefuseReason reason) {
        return refused.get(reason);
    }

    public Counter closed(CloseReason reason) {
        return closed.get(reason);
    }

    public Timer connectionDuration() {
        return connectionDuration;
    }

    public Counter bytesReceived() {
        return bytesReceived;
    }

    public Counter bytesSent() {
        return bytesSent;
    }

    public Timer upstreamConnect() {
        return upstreamConnect;
    }

    public Counter upstreamFailures() {
        return upstreamFailures;
    }

    public Counter workerRejected() {
        return workerRejected;
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
