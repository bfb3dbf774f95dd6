package io.tcpfleet.server.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Blocking loopback sockets for tests. */
public final class Wire {

    private Wire() {}

    public static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Waits up to 10 s until connecting to {@code address} is refused: the listener has closed. */
    public static void awaitListenerClosed(InetSocketAddress address) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThatThrownBy(() -> connect(address).close()).isInstanceOf(ConnectException.class));
    }

    public static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    public static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new EOFException("EOF after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    /**
     * Sends {@code bytes} and returns as many read back. Writes from another thread: a payload larger
     * than the socket buffers only fits through an echo if it is read while it is written.
     */
    public static byte[] echo(Socket socket, byte[] bytes) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                socket.getOutputStream().write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] echoed = readExactly(socket.getInputStream(), bytes.length);
        writer.get(30, TimeUnit.SECONDS);
        return echoed;
    }

    /** True if the peer closed (EOF or reset) within the socket's read timeout. */
    public static boolean closedByPeer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Sends {@code line} and reads one line back. */
    public static String roundTrip(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder sb = new StringBuilder();
        InputStream in = socket.getInputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }
}
