package io.tcpfleet.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.tcpfleet.server.connection.ClientAddress;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code --proxy-protocol required}: behind Netty's {@link HAProxyMessageDecoder} (v1 and v2), takes
 * the header's source address as the connection's {@link ClientAddress} and gets out of the way; the
 * decoder removes itself too and passes on the bytes that followed the header. The handlers behind
 * see {@code channelActive} only once the header is in, so a plugin already knows its client then.
 * A header that is missing, malformed or not complete within the timeout closes the connection as
 * {@link CloseReason#proxy_protocol}. Per connection.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {

    private static final Log LOG = Log.get(ProxyHeaderReader.class);

    private final Duration timeout;
    private Future<?> deadline;
    private boolean active;

    private ProxyHeaderReader(Duration timeout) {
        this.timeout = timeout;
    }

    /** Adds the decoder and a reader to a new connection's pipeline. */
    static void addTo(ChannelPipeline pipeline, Duration timeout) {
        pipeline.addLast(HandlerNames.PROXY_PROTOCOL, new HAProxyMessageDecoder());
        pipeline.addLast(HandlerNames.PROXY_HEADER, new ProxyHeaderReader(timeout));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back until the header is in; the proxy handler, which reads only when it asks, would
        // otherwise wait for its upstream before the header could be read.
        deadline = ctx.executor()
                .schedule(
                        () -> reject(ctx, "no complete header within " + timeout),
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HAProxyMessage header = (HAProxyMessage) msg;
        try {
            InetSocketAddress source = sourceOf(header);
            if (source != null) {
                ClientAddress.set(ctx.channel(), source);
            }
        } finally {
            header.release();
        }
        deadline.cancel(false);
        active = true;
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    /** The client a PROXY command names; null for LOCAL (a balancer's own health check) and UNKNOWN. */
    private static InetSocketAddress sourceOf(HAProxyMessage header) {
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (header.command() != HAProxyCommand.PROXY
                || (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                        && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6)) {
            return null;
        }
        // The decoder checked the literal; parsing it here asks no resolver.
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return ip == null ? null : new InetSocketAddress(ip, header.sourcePort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!active && causedBy(cause, HAProxyProtocolException.class)) {
            reject(ctx, String.valueOf(cause.getCause() == null ? cause : cause.getCause()));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        // The handlers behind never saw this connection become active; they do not see it end.
        if (active) {
            ctx.fireChannelInactive();
        }
    }

    private static void reject(ChannelHandlerContext ctx, String why) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "no valid PROXY protocol header",
                    "remote",
                    String.valueOf(ctx.channel().remoteAddress()),
                    "error",
                    why);
        }
        ConnectionTracker.close(ctx.channel(), CloseReason.proxy_protocol);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
