package io.tcpfleet.server.tls;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.tcpfleet.server.connection.ClientAddress;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import io.tcpfleet.server.metrics.TlsHandshakeResult;
import javax.net.ssl.SSLException;

/**
 * Right behind the {@code SslHandler}: counts each handshake by result and closes a connection whose
 * handshake failed as {@link CloseReason#tls}. A TLS error is the client's doing (plaintext on a TLS
 * port, an unknown CA, a scanner), so it is logged at debug, not as a server failure. Stateless,
 * hence shared.
 */
@Sharable
public final class TlsHandshakeObserver extends ChannelInboundHandlerAdapter {

    private static final Log LOG = Log.get(TlsHandshakeObserver.class);

    private final ServerMetrics metrics;

    public TlsHandshakeObserver(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
            if (done.isSuccess()) {
                metrics.tlsHandshake(TlsHandshakeResult.success).increment();
            } else {
                metrics.tlsHandshake(resultOf(done.cause())).increment();
                fail(ctx, done.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (causedBy(cause, SSLException.class) != null) {
            fail(ctx, cause);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static TlsHandshakeResult resultOf(Throwable cause) {
        if (causedBy(cause, SslHandshakeTimeoutException.class) != null) {
            return TlsHandshakeResult.timeout;
        }
        if (causedBy(cause, NotSslRecordException.class) != null) {
            return TlsHandshakeResult.not_tls;
        }
        return TlsHandshakeResult.failure;
    }

    private static void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (LOG.isDebugEnabled() && ctx.channel().isActive()) {
            LOG.debug(
                    "TLS failed",
                    "remote",
                    String.valueOf(ClientAddress.of(ctx.channel())),
                    "error",
                    String.valueOf(cause));
        }
        ConnectionTracker.close(ctx.channel(), CloseReason.tls);
    }

    private static Throwable causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }
}
