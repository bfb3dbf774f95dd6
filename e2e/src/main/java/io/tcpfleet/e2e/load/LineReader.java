package io.tcpfleet.e2e.load;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Newline-terminated lines from a blocking socket, with a timeout that keeps a half-read line. */
final class LineReader {

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** The next line without its newline, or null when none completed within timeoutMillis. */
    String readLine(int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                return null;
            }
            socket.setSoTimeout((int) leftMillis);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (b < 0) {
                throw new EOFException("closed by peer" + (partial.size() > 0 ? " in the middle of a line" : ""));
            }
            if (b == '\n') {
                String line = partial.toString(StandardCharsets.US_ASCII);
                partial.reset();
                return line;
            }
            partial.write(b);
        }
    }
}
