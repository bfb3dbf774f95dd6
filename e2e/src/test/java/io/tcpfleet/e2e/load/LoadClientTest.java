package io.tcpfleet.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load client against small in-process servers that misbehave on purpose. */
class LoadClientTest {

    private static final LoadConfig.Heartbeat FAST_HEARTBEAT =
            new LoadConfig.Heartbeat(Duration.ofMillis(150), Duration.ofMillis(150), 3);
    private ServerSocket server;
    private LoadClient client;

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verifiesEveryEchoedByte() throws IOException {
        serve(LoadClientTest::echo);
        start(LoadConfig.defaults().withConnections(4));
        awaitCounters(s -> s.requestsOk() >= 200);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.bytesVerified()).isEqualTo(seen.requestsOk() * 256);
        assertThat(seen.requestsFailed() + seen.corruptResponses() + seen.requestsRetried())
                .isZero();
    }

    @Test
    void countsAChangedByteAsCorruptAndTheRequestAsFailed() throws IOException {
        serve(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[256];
            while (in.readNBytes(buf, 0, buf.length) == buf.length) {
                buf[200] ^= 1;
                out.write(buf);
            }
        });
        start(LoadConfig.defaults().withConnections(1));
        awaitCounters(s -> s.corruptResponses() >= 3);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.requestsOk()).isZero();
        assertThat(seen.requestsFailed()).isEqualTo(seen.corruptResponses());
        assertThat(seen.bytesLost()).isEqualTo(seen.requestsFailed() * 256);
    }

    @Test
    void resendsAnUnansweredRequestOnANewConnection() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        serve(s -> {
            if (connections.incrementAndGet() == 1) {
                s.getInputStream().readNBytes(256); // swallow the first request and hang up
                return;
            }
            echo(s);
        });
        start(LoadConfig.defaults().withConnections(1));
        awaitCounters(s -> s.requestsOk() >= 5);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.requestsRetried()).isEqualTo(1);
        assertThat(seen.resets()).isEqualTo(1);
        assertThat(seen.requestsFailed()).isZero();
        assertThat(seen.connects()).isEqualTo(2);
    }

    @Test
    void countsRefusalsAndGivesUpNothingItNeverSent() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        EndpointSet endpoints = new EndpointSet();
        endpoints.add(closed);
        client = new LoadClient(LoadConfig.defaults().withConnections(2), endpoints);
        client.start();
        awaitCounters(s -> s.refusals() >= 6);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.connects()).isZero();
        assertThat(seen.requestsOk() + seen.requestsFailed()).isZero();
    }

    @Test
    void heartbeatGetsPongsOnAnIdleLineConnection() throws IOException {
        serve(LoadClientTest::lineServer);
        start(LoadConfig.defaults()
                .withConnections(1)
                .withPayloadBytes(64)
                .withThink(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withLineProtocol(FAST_HEARTBEAT));
        awaitCounters(s -> s.heartbeatsOk() >= 3 && s.requestsOk() >= 1);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.heartbeatMisses()).isZero();
        assertThat(seen.bytesVerified()).isEqualTo(seen.requestsOk() * 64);
    }

    @Test
    void dropsTheConnectionAfterThreeMissedHeartbeats() throws IOException {
        serve(s -> {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!"PING".equals(line)) { // a server whose application is stuck: PINGs go unanswered
                    out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        });
        start(LoadConfig.defaults()
                .withConnections(1)
                .withPayloadBytes(64)
                .withThink(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withLineProtocol(FAST_HEARTBEAT));
        awaitCounters(s -> s.heartbeatDrops() >= 1 && s.connects() >= 2);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.heartbeatMisses()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void movesToANewConnectionWhenTheServerSaysReconnect() throws IOException {
        serve(s -> {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            String line = in.readLine();
            out.write(
                    ("RECONNECT\n" + line + "\n").getBytes(StandardCharsets.US_ASCII)); // drain notice, then the answer
            in.readLine(); // the client goes away
        });
        start(LoadConfig.defaults().withConnections(1).withPayloadBytes(64).withLineProtocol(FAST_HEARTBEAT));
        awaitCounters(s -> s.requestsOk() >= 3);
        LoadCounters.Snapshot seen = client.stop(Duration.ofSeconds(10));
        assertThat(seen.reconnectRequests()).isGreaterThanOrEqualTo(3);
        assertThat(seen.connects()).isGreaterThanOrEqualTo(3);
        assertThat(seen.requestsFailed() + seen.requestsRetried()).isZero();
    }

    private interface Conversation {
        void talk(Socket s) throws IOException;
    }

    private void serve(Conversation conversation) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            conversation.talk(s);
                        } catch (IOException ignored) {
                            // the client hung up
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void start(LoadConfig config) {
        EndpointSet endpoints = new EndpointSet();
        endpoints.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        client = new LoadClient(config, endpoints);
        client.start();
    }

    private void awaitCounters(Predicate<LoadCounters.Snapshot> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> condition.test(client.counters()));
    }

    private static void echo(Socket s) throws IOException {
        s.getInputStream().transferTo(s.getOutputStream());
    }

    private static void lineServer(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            out.write(("PING".equals(line) ? "PONG\n" : line + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
