package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.tcpfleet.server.testing.Http;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LivenessIT {

    /**
     * A blocked event loop (here the one that serves a connection and, with one loop, also accepts) makes
     * {@code /health/live} fail within its second, so the kubelet restarts the pod; once it runs again, live again.
     */
    @Test
    void aBlockedEventLoopFailsLivenessAndARunningOnePassesIt() throws Exception {
        try (TestServer server = TestServer.start("--worker-threads", "1");
                Socket client = Wire.connect(server.address())) {
            assertThat(Wire.roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(Http.status(server.admin(), "/health/live")).isEqualTo(200);
            Channel channel =
                    server.server().connections().openChannels().iterator().next();
            CountDownLatch release = new CountDownLatch(1);
            channel.eventLoop().execute(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                assertThat(Http.status(server.admin(), "/health/live")).isEqualTo(503);
            } finally {
                release.countDown();
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Http.status(server.admin(), "/health/live") == 200);
            assertThat(Wire.roundTrip(client, "again")).isEqualTo("again");
        }
    }
}
