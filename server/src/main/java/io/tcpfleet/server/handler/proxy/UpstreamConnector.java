package io.tcpfleet.server.handler.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.tcpfleet.server.config.HostPort;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Connects to the upstream within one budget ({@code --upstream-connect-timeout}): attempts separated
 * by full-jitter exponential backoff, each attempt allowed by the circuit breaker, the last one cut
 * short by what is left of the budget. An attempt is the TCP connect and the {@link UpstreamPreamble}
 * (a TLS handshake, if any): a failed handshake is a failed attempt, counted, told to the breaker and
 * retried like a refused connect, since a restarting upstream cuts handshakes short too; an upstream
 * whose certificate will never pass opens the breaker. Names are resolved off the event loop and
 * cached briefly.
 */
public final class UpstreamConnector {

    /** A connect refused by the open breaker or out of budget. */
    public static final class UpstreamUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UpstreamUnavailableException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final Log LOG = Log.get(UpstreamConnector.class);
    private static final long DNS_CACHE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HostPort upstream;
    private final long budgetNanos;
    private final CircuitBreaker breaker;
    private final Backoff backoff;
    private final ServerMetrics metrics;
    private final Bootstrap template;
    private final Executor resolver;
    private final UpstreamPreamble preamble;
    private final boolean literal;
    private volatile InetSocketAddress resolved;
    private volatile long resolvedAtNanos;

    public UpstreamConnector(
            HostPort upstream,
            Duration budget,
            CircuitBreaker breaker,
            Backoff backoff,
            ServerMetrics metrics,
            Bootstrap template,
            Executor resolver,
            UpstreamPreamble preamble) {
        this.upstream = upstream;
        this.budgetNanos = budget.toNanos();
        this.breaker = breaker;
        this.backoff = backoff;
        this.metrics = metrics;
        this.template = template.clone().option(ChannelOption.AUTO_READ, false).handler(EarlyUpstreamBytes.INSTALLER);
        this.resolver = resolver;
        this.preamble = preamble;
        literal = NetUtil.isValidIpV4Address(upstream.host()) || NetUtil.isValidIpV6Address(upstream.host());
        if (literal) {
            resolved = new InetSocketAddress(
                    NetUtil.createInetAddressFromIpAddressString(upstream.host()), upstream.port());
        }
    }

    /** A channel connected to the upstream on {@code frontend}'s event loop, or the reason there is none. */
    public Future<Channel> connect(Channel frontend) {
        EventLoop loop = frontend.eventLoop();
        Promise<Channel> result = loop.newPromise();
        long start = System.nanoTime();
        attempt(frontend, result, 0, start, start + budgetNanos, null);
        return result;
    }

    private void attempt(Channel frontend, Promise<Channel> result, int n, long start, long deadline, Throwable last) {
        long remaining = deadline - System.nanoTime();
        if (!frontend.isActive()) {
            result.tryFailure(new UpstreamUnavailableException("client went away", last));
            return;
        }
        if (remaining <= 0) {
            result.tryFailure(
                    new UpstreamUnavailableException("no connection to " + upstream + " within the budget", last));
            return;
        }
        if (!breaker.tryAcquire()) {
            result.tryFailure(new UpstreamUnavailableException("circuit breaker open for " + upstream, last));
            return;
        }
        EventLoop loop = frontend.eventLoop();
        address(loop).addListener((Future<InetSocketAddress> a) -> {
            if (!a.isSuccess()) {
                failed(frontend, result, n, start, deadline, a.cause());
                return;
            }
            ChannelFuture connect = template.clone(loop)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millisLeft(deadline))
                    .connect(a.getNow());
            connect.addListener((ChannelFuture c) -> {
                if (!c.isSuccess()) {
                    failed(frontend, result, n, start, deadline, c.cause());
                    return;
                }
                Channel backend = c.channel();
                preamble.open(backend, frontend, millisLeft(deadline)).addListener((Future<Channel> p) -> {
                    if (!p.isSuccess()) {
                        backend.close();
                        LOG.warn(
                                "TLS handshake with the upstream failed",
                                "upstream",
                                upstream.toString(),
                                "serverName",
                                preamble.serverName(),
                                "error",
                                causes(p.cause()));
                        failed(frontend, result, n, start, deadline, p.cause());
                        return;
                    }
                    breaker.onSuccess();
                    metrics.upstreamConnect().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    if (!result.trySuccess(backend)) {
                        backend.close();
                    }
                });
            });
        });
    }

    private static int millisLeft(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** A TLS failure's message is often on a cause (the certificate check's), so all of them, briefly. */
    private static String causes(Throwable t) {
        StringJoiner out = new StringJoiner("; caused by ");
        int depth = 0;
        for (Throwable c = t; c != null && depth < 4; c = c.getCause(), depth++) {
            out.add(String.valueOf(c));
        }
        return out.toString();
    }

    private void failed(Channel frontend, Promise<Channel> result, int n, long start, long deadline, Throwable cause) {
        metrics.upstreamFailures().increment();
        breaker.onFailure();
        long delay = backoff.delayNanos(n);
        if (breaker.isOpen() || System.nanoTime() + delay >= deadline) {
            result.tryFailure(new UpstreamUnavailableException("cannot connect to " + upstream, cause));
            return;
        }
        frontend.eventLoop()
                .schedule(() -> attempt(frontend, result, n + 1, start, deadline, cause), delay, TimeUnit.NANOSECONDS);
    }

    private Future<InetSocketAddress> address(EventLoop loop) {
        InetSocketAddress cached = resolved;
        if (cached != null && (literal || System.nanoTime() - resolvedAtNanos < DNS_CACHE_NANOS)) {
            return loop.newSucceededFuture(cached);
        }
        Promise<InetSocketAddress> promise = loop.newPromise();
        resolver.execute(() -> {
            try {
                InetSocketAddress fresh =
                        new InetSocketAddress(InetAddress.getByName(upstream.host()), upstream.port());
                resolved = fresh;
                resolvedAtNanos = System.nanoTime();
                promise.trySuccess(fresh);
            } catch (UnknownHostException e) {
                promise.tryFailure(e);
            }
        });
        return promise;
    }
}
