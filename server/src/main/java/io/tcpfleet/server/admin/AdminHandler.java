package io.tcpfleet.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tcpfleet.server.drain.DrainCoordinator;
import io.tcpfleet.server.logging.Log;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The admin routes: {@code GET /metrics}, {@code GET /health/live}, {@code GET /health/ready},
 * {@code POST /drain} (loopback only); {@code /debug/*} is answered before, by {@link DebugHandler}. Malformed requests get 400, oversized ones 413, and the
 * connection is closed; nothing here touches the data port. Stateless, hence shared.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Log LOG = Log.get(AdminHandler.class);

    private final Supplier<String> scrape;
    private final BooleanSupplier ready;
    private final Consumer<Consumer<Boolean>> liveness;
    private final DrainCoordinator drain;
    private final ChannelGroup drainCallers;

    /**
     * @param liveness     called with a callback that receives true once every data event loop ran a task
     * @param drainCallers where the connections that got a drain's answer stay until their callers close them
     */
    AdminHandler(
            Supplier<String> scrape,
            BooleanSupplier ready,
            Consumer<Consumer<Boolean>> liveness,
            DrainCoordinator drain,
            ChannelGroup drainCallers) {
        this.scrape = scrape;
        this.ready = ready;
        this.liveness = liveness;
        this.drain = drain;
        this.drainCallers = drainCallers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            HttpResponseStatus status = decoded.cause() instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            send(ctx, status, "text/plain", status.reasonPhrase() + "\n", false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        switch (path) {
            case "/metrics":
                if (allow(ctx, method, HttpMethod.GET, keepAlive)) {
                    send(ctx, HttpResponseStatus.OK, PROMETHEUS_TEXT, scrape.get(), keepAlive);
                }
                break;
            case "/health/live":
                if (allow(ctx, method, HttpMethod.GET, keepAlive)) {
                    liveness.accept(alive -> ctx.executor()
                            .execute(() -> send(
                                    ctx,
                                    alive ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                                    "text/plain",
                                    alive ? "live\n" : "event loops not answering\n",
                                    keepAlive)));
                }
                break;
            case "/health/ready":
                if (allow(ctx, method, HttpMethod.GET, keepAlive)) {
                    boolean isReady = ready.getAsBoolean();
                    send(
                            ctx,
                            isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "text/plain",
                            isReady ? "ready\n" : (drain.isDraining() ? "draining\n" : "not ready\n"),
                            keepAlive);
                }
                break;
            case "/drain":
                if (allow(ctx, method, HttpMethod.POST, keepAlive)) {
                    drain(ctx);
                }
                break;
            default:
                send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n", keepAlive);
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        if (!AdminAccess.fromLoopback(ctx.channel().remoteAddress())) {
            LOG.warn(
                    "drain refused: caller is not on loopback",
                    "remote",
                    String.valueOf(ctx.channel().remoteAddress()));
            send(ctx, HttpResponseStatus.FORBIDDEN, "text/plain", "drain is allowed from loopback only\n", false);
            return;
        }
        // Joined before the drain can end, and left open after the answer: the server exits once the
        // caller has closed it (AdminServer.close), so a preStop hook in the same container is never
        // killed by the container's end.
        drainCallers.add(ctx.channel());
        drain.start("POST /drain")
                .whenComplete((result, error) -> ctx.executor().execute(() -> {
                    if (error != null) {
                        send(
                                ctx,
                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "application/json",
                                "{\"error\":\"drain failed\"}\n",
                                false);
                    } else {
                        send(ctx, HttpResponseStatus.OK, "application/json", result.toJson() + "\n", true);
                    }
                }));
    }

    private boolean allow(ChannelHandlerContext ctx, HttpMethod actual, HttpMethod expected, boolean keepAlive) {
        if (actual.equals(expected)) {
            return true;
        }
        FullHttpResponse response =
                response(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
        response.headers().set(HttpHeaderNames.ALLOW, expected.name());
        write(ctx, response, keepAlive);
        return false;
    }

    static void send(
            ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body, boolean keepAlive) {
        write(ctx, response(ctx, status, type, body), keepAlive);
    }

    static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body) {
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection failed", "error", String.valueOf(cause));
        ctx.close();
    }
}
