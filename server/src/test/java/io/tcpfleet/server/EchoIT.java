package io.tcpfleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.testing.TestServer;
import io.tcpfleet.server.testing.Wire;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EchoIT {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 64 * 1024, 16 * 1024 * 1024})
    void echoesPayloadsByteForByte(int size) throws Exception {
        byte[] payload = Wire.randomBytes(size, size);
        try (Socket socket = Wire.connect(server.address())) {
            // Write from another thread: a large payload only fits through if we read while we write.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < size; off += 8192) {
                        out.write(payload, off, Math.min(8192, size - off));
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] echoed = Wire.readExactly(socket.getInputStream(), size);
            writer.get(60, TimeUnit.SECONDS);
            assertThat(echoed).isEqualTo(payload);
        }
    }

    @Test
    void aHalfClosedClientGetsEveryByteThenTheClose() throws Exception {
        byte[] payload = Wire.randomBytes(256 * 1024, 3);
        try (Socket socket = Wire.connect(server.address())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = socket.getInputStream();
            assertThat(Wire.readExactly(in, payload.length)).isEqualTo(payload);
            assertThat(in.read()).as("server closes after the half-close").isEqualTo(-1);
            writer.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesAThousandConcurrentClients() throws Exception {
        int clients = 1000;
        double acceptedBefore = server.metric("tcpfleet_connections_accepted_total");
        List<Socket> sockets = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            for (int i = 0; i < clients; i++) {
                sockets.add(Wire.connect(server.address()));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.metric("tcpfleet_connections_active") == clients);
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Socket socket = sockets.get(i);
                byte[] message = Wire.randomBytes(512, i);
                answers.add(pool.submit(() -> {
                    socket.getOutputStream().write(message);
                    return Wire.readExactly(socket.getInputStream(), message.length);
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertThat(answers.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(Wire.randomBytes(512, i));
            }
            assertThat(server.metric("tcpfleet_connections_active")).isEqualTo(clients);
            assertThat(server.metric("tcpfleet_connections_accepted_total") - acceptedBefore)
                    .isEqualTo(clients);
        } finally {
            pool.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> server.metric("tcpfleet_connections_active") == 0);
    }
}
