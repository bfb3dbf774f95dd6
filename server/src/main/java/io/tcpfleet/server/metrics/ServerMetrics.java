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
    private final Map<RefuseReason, Counter> refused = new EnumMap<>(RefuseReason.class);
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Timer connectionDuration;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Timer upstreamConnect;
    private final Counter upstreamFailures;
    private final Counter workerRejected;
    private JvmGcMetrics gcMetrics;

    public ServerMetrics(PooledByteBufAllocator allocator) {
        accepted = Counter.builder(MeterNames.CONNECTIONS_ACCEPTED)
                .description("TCP connections accepted by the listener (admitted or refused)")
                .register(registry);
        for (RefuseReason reason : RefuseReason.values()) {
            refused.put(
                    reason,
                    Counter.builder(MeterNames.CONNECTIONS_REFUSED)
                            .tag(MeterNames.TAG_REASON, reason.name())
                            .description("connections closed right after accept")
                            .register(registry));
        }
        for (CloseReason reason : CloseReason.values()) {
            closed.put(
                    reason,
                    Counter.builder(MeterNames.CONNECTIONS_CLOSED)
                            .tag(MeterNames.TAG_REASON, reason.name())
                            .description("connections closed, by reason")
                            .register(registry));
        }
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
        bytesReceived = Counter.builder(MeterNames.BYTES_RECEIVED)
                .description("bytes read from clients")
                .register(registry);
        bytesSent = Counter.builder(MeterNames.BYTES_SENT)
                .description("bytes written to clients")
                .register(registry);
        upstreamConnect = Timer.builder(MeterNames.UPSTREAM_CONNECT)
                .description("time to connect to the upstream, retries included")
                .serviceLevelObjectives(
                        Duration.ofMillis(1),
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry);
        upstreamFailures = Counter.builder(MeterNames.UPSTREAM_FAILURES)
                .description("failed upstream connect attempts")
                .register(registry);
        workerRejected = Counter.builder(MeterNames.WORKER_REJECTED)
                .description("work refused because the blocking worker queue was full")
                .register(registry);
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
        Gauge.builder(MeterNames.CONNECTIONS_ACTIVE, active, DoubleSupplier::getAsDouble)
                .strongReference(true)
                .description("open client connections")
                .register(registry);
    }

    public void gaugeDraining(DoubleSupplier draining) {
        Gauge.builder(MeterNames.DRAINING, draining, DoubleSupplier::getAsDouble)
                .strongReference(true)
                .description("1 once a drain has started")
                .register(registry);
    }

    public void gaugeCircuitOpen(DoubleSupplier open) {
        Gauge.builder(MeterNames.UPSTREAM_CIRCUIT_OPEN, open, DoubleSupplier::getAsDouble)
                .strongReference(true)
                .description("1 while the upstream circuit breaker refuses connects")
                .register(registry);
    }

    public void gaugeMaxConnections(int max) {
        Gauge.builder(MeterNames.CONNECTIONS_MAX, () -> max)
                .strongReference(true)
                .description("--max-connections: active connections beyond it are refused")
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
