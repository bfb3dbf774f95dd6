package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Transports;
import io.tcpfleet.server.testing.Wire;
import io.tcpfleet.server.transport.Transport;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A client that sends but does not read must not make the server buffer without bound. */
class BackpressureIT {

    private static final int TOTAL = 64 * 1024 * 1024;

    /** epoll splices a bulk echo (the pipe is the only buffer), NIO copies it through Netty's buffers. */
    static Stream<Transport> transports() {
        return Stream.of(Transport.detect(), Transports.asked("nio"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aSlowReaderStopsTheServerReadingInsteadOfGrowingItsMemory(Transport transport) throws Exception {
        try (TestServer server =
                        TestServer.start(transport, "--write-buffer-low", "32768", "--write-buffer-high", "65536");
                Socket client = Wire.connect(server.address())) {
            client.setReceiveBufferSize(64 * 1024);
            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            byte[] payload = Wire.randomBytes(TOTAL, 5);
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int off = 0; off < TOTAL; off += 16 * 1024) {
                        out.write(payload, off, 16 * 1024);
                        written.addAndGet(16 * 1024);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // Stalled: the server has stopped reading (its byte count stands still between two looks
            // half a second apart) and the writer is blocked by TCP flow control, far short of the total.
            AtomicLong lastLook = new AtomicLong(-1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long received = (long) server.metric("tcpfleet_bytes_received_total");
                        return received > 0 && received == lastLook.getAndSet(received) && written.get() < TOTAL;
                    });
            long direct = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            assertThat(direct - directBefore)
                    .as("pooled direct memory held for one stalled client")
                    .isLessThan(32L * 1024 * 1024);
            double received = server.metric("tcpfleet_bytes_received_total");
            assertThat(received).isLessThan(TOTAL / 2.0);
            System.out.printf(
                    "slow reader: client stalled after %d bytes, server read %.0f, pooled direct +%d bytes%n",
                    written.get(), received, direct - directBefore);

            // Reading resumes the flow and every byte arrives intact.
            assertThat(Wire.readExactly(client.getInputStream(), TOTAL)).isEqualTo(payload);
            writer.get(60, TimeUnit.SECONDS);
        }
    }
}
