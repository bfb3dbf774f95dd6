package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data path allocates nothing per message: bytes allocated by the event-loop threads, per
 * echoed message, after a warm-up. Leak detection is switched off while measuring (it allocates
 * a tracking record per buffer by design) and back on afterwards.
 */
class HotPathAllocationIT {

    private static final int WARMUP = 5_000;
    private static final int MEASURED = 20_000;
    private static final int SIZE = 128;

    private ResourceLeakDetector.Level leakLevel;

    @BeforeEach
    void quietLeakDetector() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @AfterEach
    void restoreLeakDetector() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    @Test
    void echoAllocatesNothingPerMessage() throws Exception {
        try (TestServer server = TestServer.start()) {
            double perMessage = bytesPerRoundTrip(server);
            System.out.printf("echo: %.2f bytes allocated on event loops per %d-byte round trip%n", perMessage, SIZE);
            assertThat(perMessage).isLessThan(8.0);
        }
    }

    @Test
    void proxyAllocatesNothingPerMessage() throws Exception {
        try (TestServer upstream = TestServer.start();
                TestServer proxy = TestServer.start(
                        "--handler",
                        "proxy",
                        "--upstream",
                        "127.0.0.1:" + upstream.address().getPort())) {
            double perMessage = bytesPerRoundTrip(proxy);
            System.out.printf(
                    "proxy (+ its echo upstream): %.2f bytes allocated on event loops per round trip%n", perMessage);
            assertThat(perMessage).isLessThan(8.0);
        }
    }

    /** A bulk connection is spliced (SpliceEcho): no buffers at all, and no garbage per wake-up either. */
    @Test
    void splicedBulkEchoAllocatesNothingPerMegabyte() throws Exception {
        try (TestServer server = TestServer.start();
                Socket socket = Wire.connect(server.address())) {
            byte[] chunk = Wire.randomBytes(1 << 20, 2);
            bulk(socket, chunk, 32);
            // The least of three long runs: a one-time cost (a queue chunk, a class first used, a method
            // compiled late on a busy machine) lands in one run, a cost per MiB in every run.
            double perMegabyte = Double.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                long before = eventLoopAllocatedBytes();
                bulk(socket, chunk, 128);
                perMegabyte = Math.min(perMegabyte, (eventLoopAllocatedBytes() - before) / 128.0);
            }
            System.out.printf("spliced bulk echo: %.2f bytes allocated on event loops per MiB%n", perMegabyte);
            assertThat(perMegabyte).isLessThan(64.0);
        }
    }

    /** Echoes {@code chunk} {@code n} times, writing from another thread while this one reads and checks. */
    private static void bulk(Socket socket, byte[] chunk, int n) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    socket.getOutputStream().write(chunk);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (int i = 0; i < n; i++) {
            assertThat(Wire.readExactly(socket.getInputStream(), chunk.length)).isEqualTo(chunk);
        }
        writer.get(60, TimeUnit.SECONDS);
    }

    private static double bytesPerRoundTrip(TestServer server) throws Exception {
        try (Socket socket = Wire.connect(server.address())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] message = Wire.randomBytes(SIZE, 1);
            byte[] answer = new byte[SIZE];
            roundTrips(out, in, message, answer, WARMUP);
            long before = eventLoopAllocatedBytes();
            roundTrips(out, in, message, answer, MEASURED);
            long after = eventLoopAllocatedBytes();
            assertThat(answer).isEqualTo(message);
            return (after - before) / (double) MEASURED;
        }
    }

    private static void roundTrips(OutputStream out, InputStream in, byte[] message, byte[] answer, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            out.write(message);
            int got = 0;
            while (got < answer.length) {
                int r = in.read(answer, got, answer.length - got);
                if (r < 0) {
                    throw new java.io.EOFException();
                }
                got += r;
            }
        }
    }

    private static long eventLoopAllocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tcpfleet-io")) {
                total += threads.getThreadAllocatedBytes(t.getId());
            }
        }
        return total;
    }
}
