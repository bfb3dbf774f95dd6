package io.tcpfleet.server.admin;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tcpfleet.server.config.LogLevel;
import io.tcpfleet.server.debug.JfrProfiler;
import io.tcpfleet.server.debug.ThreadDump;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.logging.Logging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code /debug/*} routes, loopback only like {@code /drain}: {@code GET /debug/threads},
 * {@code POST /debug/profile?seconds=N}, {@code PUT /debug/log-level}. Every other request goes on
 * to {@link AdminHandler}. Stateless (the profiler guards itself), hence shared.
 */
@Sharable
final class DebugHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PREFIX = "/debug/";
    private static final Log LOG = Log.get(DebugHandler.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final JfrProfiler profiler;

    DebugHandler(JfrProfiler profiler) {
        super(false);
        this.profiler = profiler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (request.decoderResult().isFailure() || !uri.path().startsWith(PREFIX)) {
            ctx.fireChannelRead(request);
            return;
        }
        try {
            route(ctx, request, uri);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!AdminAccess.fromLoopback(ctx.channel().remoteAddress())) {
            LOG.warn(
                    "debug request refused: caller is not on loopback",
                    "path",
                    uri.path(),
                    "remote",
                    String.valueOf(ctx.channel().remoteAddress()));
            AdminHandler.send(
                    ctx, HttpResponseStatus.FORBIDDEN, "text/plain", "debug is allowed from loopback only\n", false);
            return;
        }
        switch (uri.path()) {
            case "/debug/threads":
                if (allow(ctx, request.method(), HttpMethod.GET, keepAlive)) {
                    AdminHandler.send(
                            ctx, HttpResponseStatus.OK, "text/plain; charset=utf-8", ThreadDump.capture(), keepAlive);
                }
                break;
            case "/debug/profile":
                if (allow(ctx, request.method(), HttpMethod.POST, keepAlive)) {
                    profile(ctx, uri);
                }
                break;
            case "/debug/log-level":
                if (allow(ctx, request.method(), HttpMethod.PUT, keepAlive)) {
                    logLevel(ctx, request, uri, keepAlive);
                }
                break;
            default:
                AdminHandler.send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n", keepAlive);
        }
    }

    private void profile(ChannelHandlerContext ctx, QueryStringDecoder uri) {
        List<String> values = uri.parameters().getOrDefault("seconds", List.of());
        Integer seconds = values.size() == 1 ? parseInt(values.get(0)) : null;
        if (seconds == null || seconds < JfrProfiler.MIN_SECONDS || seconds > JfrProfiler.MAX_SECONDS) {
            AdminHandler.send(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "text/plain",
                    "seconds must be an integer " + JfrProfiler.MIN_SECONDS + ".." + JfrProfiler.MAX_SECONDS + ", got "
                            + values + "\n",
                    false);
            return;
        }
        CompletableFuture<Path> recording = profiler.record(seconds);
        if (recording == null) {
            AdminHandler.send(
                    ctx, HttpResponseStatus.CONFLICT, "text/plain", "a profile is already being recorded\n", false);
            return;
        }
        // The answer comes after the recording: the admin read timeout must not cut a long one short.
        if (ctx.pipeline().get(AdminServer.READ_TIMEOUT) != null) {
            ctx.pipeline().remove(AdminServer.READ_TIMEOUT);
        }
        LOG.info(
                "profile recording started",
                "seconds",
                seconds,
                "remote",
                String.valueOf(ctx.channel().remoteAddress()));
        recording.whenComplete((file, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                LOG.warn("profile recording failed", error);
                AdminHandler.send(
                        ctx,
                        HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "text/plain",
                        "profile failed: " + error.getMessage() + "\n",
                        false);
            } else {
                sendFile(ctx, file);
            }
        }));
    }

    private static void sendFile(ChannelHandlerContext ctx, Path file) {
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            JfrProfiler.deleteQuietly(file);
            AdminHandler.send(
                    ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", "profile file unreadable\n", false);
            return;
        }
        if (!ctx.channel().isActive()) {
            JfrProfiler.deleteQuietly(file);
            return;
        }
        String name = "tcpfleet-profile-" + ZonedDateTime.now(ZoneOffset.UTC).format(FILE_TIME) + ".jfr";
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(head, length);
        ctx.write(head);
        ctx.write(new DefaultFileRegion(file.toFile(), 0, length));
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(done -> {
            JfrProfiler.deleteQuietly(file);
            ctx.close();
        });
    }

    private static void logLevel(
            ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, boolean keepAlive) {
        List<String> query = uri.parameters().getOrDefault("level", List.of());
        String asked = query.isEmpty()
                ? request.content().toString(StandardCharsets.UTF_8).trim()
                : query.get(0).trim();
        LogLevel level;
        try {
            level = LogLevel.valueOf(asked.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            AdminHandler.send(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "text/plain",
                    "log level must be one of " + Arrays.toString(LogLevel.values()) + " (body or ?level=), got '"
                            + asked + "'\n",
                    keepAlive);
            return;
        }
        LogLevel before = Logging.setLevel(level);
        LOG.warn(
                "log level changed",
                "from",
                before.name(),
                "to",
                level.name(),
                "remote",
                String.valueOf(ctx.channel().remoteAddress()));
        AdminHandler.send(
                ctx, HttpResponseStatus.OK, "text/plain", "log level " + level + " (was " + before + ")\n", keepAlive);
    }

    private static boolean allow(ChannelHandlerContext ctx, HttpMethod actual, HttpMethod expected, boolean keepAlive) {
        if (actual.equals(expected)) {
            return true;
        }
        var response =
                AdminHandler.response(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
        response.headers().set(HttpHeaderNames.ALLOW, expected.name());
        AdminHandler.write(ctx, response, keepAlive);
        return false;
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
