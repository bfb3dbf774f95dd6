package io.tcpfleet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.tcpfleet.server.debug.JfrProfiler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that is not on loopback gets 403 from every /debug route and nothing happens. The
 * remote address is only an object on an EmbeddedChannel: no traffic leaves loopback.
 */
class DebugHandlerTest {

    @TempDir
    Path tmp;

    private JfrProfiler profiler;

    @AfterEach
    void close() {
        if (profiler != null) {
            profiler.close();
        }
    }

    @Test
    void nonLoopbackCallersAreForbiddenEveryDebugRoute() {
        profiler = new JfrProfiler(tmp);
        String levelBefore = String.valueOf(Logger.getLogger("").getLevel());
        for (String[] route : new String[][] {
            {"GET", "/debug/threads"},
            {"POST", "/debug/profile?seconds=5"},
            {"PUT", "/debug/log-level?level=trace"},
            {"GET", "/debug/nope"}
        }) {
            EmbeddedChannel channel = channelFrom(new InetSocketAddress("10.0.0.7", 40000));
            channel.writeInbound(request(route[0], route[1]));
            FullHttpResponse response = channel.readOutbound();
            assertThat(response.status()).as(route[1]).isEqualTo(HttpResponseStatus.FORBIDDEN);
            assertThat(response.content().toString(java.nio.charset.StandardCharsets.UTF_8))
                    .contains("loopback only");
            response.release();
            assertThat(channel.isOpen()).as("closed after 403").isFalse();
        }
        assertThat(profiler.isRecording()).isFalse();
        assertThat(String.valueOf(Logger.getLogger("").getLevel())).isEqualTo(levelBefore);
    }

    @Test
    void otherPathsPassThroughUntouched() {
        profiler = new JfrProfiler(tmp);
        EmbeddedChannel channel = channelFrom(new InetSocketAddress("10.0.0.7", 40000));
        FullHttpRequest metrics = request("GET", "/metrics");
        channel.writeInbound(metrics);
        FullHttpRequest passed = channel.readInbound();
        assertThat(passed).isSameAs(metrics);
        assertThat(passed.refCnt()).isEqualTo(1);
        passed.release();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aProfileLiftsTheReadTimeoutAndSendsTheFileThenDeletesIt() throws Exception {
        profiler = new JfrProfiler(tmp);
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
        channel.pipeline()
                .addLast(AdminServer.READ_TIMEOUT, new ReadTimeoutHandler(30))
                .addLast(new DebugHandler(profiler));
        channel.writeInbound(request("POST", "/debug/profile?seconds=1"));
        // A recording longer than the admin read timeout must not be cut by it.
        assertThat(channel.pipeline().get(AdminServer.READ_TIMEOUT)).isNull();
        assertThat(profiler.isRecording()).isTrue();
        Awaitility.await("recording written").atMost(Duration.ofSeconds(60)).until(() -> !profiler.isRecording());
        Awaitility.await("response written").atMost(Duration.ofSeconds(30)).until(() -> {
            channel.runPendingTasks();
            return !channel.outboundMessages().isEmpty();
        });
        HttpResponse head = channel.readOutbound();
        assertThat(head.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(head.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        FileRegion file = channel.readOutbound();
        assertThat(file.count())
                .isPositive()
                .isEqualTo(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH).longValue());
        file.release();
        assertThat((Object) channel.readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        try (var left = Files.list(tmp)) {
            assertThat(left).as("the .jfr is deleted once sent").isEmpty();
        }
        assertThat(channel.isOpen()).isFalse();
    }

    private EmbeddedChannel channelFrom(SocketAddress remote) {
        return new EmbeddedChannel(new DebugHandler(profiler)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
    }

    private static FullHttpRequest request(String method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
    }
}
