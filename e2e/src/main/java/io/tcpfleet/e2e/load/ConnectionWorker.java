package io.tcpfleet.e2e.load;

import io.tcpfleet.server.handler.proxy.Backoff;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One client connection, on its own thread: connect (with backoff) to an endpoint from the set,
 * then request, verify, pause, again. A request that was not answered in full is sent again on a
 * new connection, up to {@link LoadConfig#maxAttempts()} times. A clean close by the server while
 * nothing is outstanding is what a drain should look like: counted, then reconnected, never a failure.
 */
final class ConnectionWorker implements Runnable {

    private static final byte[] PING = "PING\n".getBytes(StandardCharsets.US_ASCII);

    private final int id;
    private final LoadConfig cfg;
    private final EndpointSet endpoints;
    private final LoadCounters counters;
    private final BooleanSupplier running;
    private final Backoff backoff;
    /** Failed connects, server closes and retries since the last answer: the backoff's attempt number. */
    private int failures;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private LineReader lines;
    private long seq;
    private byte[] pending;
    private int pendingAttempts;
    private long pendingSince;
    private long lastActivity;
    private int heartbeatMisses;
    private boolean reconnectAsked;

    ConnectionWorker(int id, LoadConfig cfg, EndpointSet endpoints, LoadCounters counters, BooleanSupplier running) {
        this.id = id;
        this.cfg = cfg;
        this.endpoints = endpoints;
        this.counters = counters;
        this.running = running;
        this.backoff = new Backoff(
                cfg.backoffBase(),
                cfg.backoffCap(),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    @Override
    public void run() {
        try {
            // A request already sent is finished (answered or given up) even when asked to stop.
            while (running.getAsBoolean() || pending != null) {
                if (socket == null && !connect()) {
                    continue;
                }
                if (pending == null) {
                    if (!pause() || !running.getAsBoolean()) {
                        continue;
                    }
                    pending = Payloads.request(id, seq++, cfg.payloadBytes(), cfg.lineProtocol());
                    pendingAttempts = 0;
                    pendingSince = System.nanoTime();
                }
                exchange();
            }
        } finally {
            closeQuietly();
        }
    }

    private boolean connect() {
        Optional<InetSocketAddress> endpoint = endpoints.pick();
        if (endpoint.isEmpty()) {
            giveUpIfTooOld();
            backOff();
            return false;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(endpoint.get(), (int) cfg.connectTimeout().toMillis());
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
            lines = cfg.lineProtocol() ? new LineReader(s) : null;
            counters.connects.increment();
            lastActivity = System.nanoTime();
            heartbeatMisses = 0;
            reconnectAsked = false;
            return true;
        } catch (ConnectException e) {
            counters.refusals.increment();
        } catch (IOException e) {
            counters.connectFailures.increment();
        }
        closeQuietly(s);
        giveUpIfTooOld();
        backOff();
        return false;
    }

    /** The pause between requests, watching the idle connection; false when it was closed meanwhile. */
    private boolean pause() {
        long think = ThreadLocalRandom.current()
                .nextLong(cfg.thinkMin().toNanos(), cfg.thinkMax().toNanos() + 1);
        long until = System.nanoTime() + think;
        try {
            while (running.getAsBoolean()) {
                long now = System.nanoTime();
                long wait = until - now;
                if (cfg.lineProtocol()) {
                    wait = Math.min(
                            wait, lastActivity + cfg.heartbeat().interval().toNanos() - now);
                }
                if (wait > 0 && !watchIdle(wait)) {
                    return false;
                }
                if (System.nanoTime() >= until) {
                    return true;
                }
                if (cfg.lineProtocol()
                        && System.nanoTime() - lastActivity
                                >= cfg.heartbeat().interval().toNanos()
                        && !heartbeat()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            counters.resets.increment();
            closeQuietly();
            return false;
        }
    }

    /** Waits for the connection to stay quiet; false (and closed) when the server closed it or asked to reconnect. */
    private boolean watchIdle(long nanos) throws IOException {
        int millis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
        if (cfg.lineProtocol()) {
            String line;
            try {
                line = lines.readLine(millis);
            } catch (EOFException e) {
                return serverClosed();
            }
            if (line == null || "PONG".equals(line)) {
                return true; // quiet, or the answer to a ping we already counted as missed
            }
            if ("RECONNECT".equals(line)) {
                counters.reconnectRequests.increment();
                return serverClosed();
            }
            counters.corruptResponses.increment();
            closeQuietly();
            return false;
        }
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            if (b < 0) {
                return serverClosed();
            }
            counters.corruptResponses.increment();
            closeQuietly();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    /** Sleeps the backoff's delay for one more failure. */
    private void backOff() {
        sleep(backoff.delayNanos(failures));
        failures = Math.min(failures + 1, 62);
    }

    private boolean serverClosed() {
        counters.serverCloses.increment();
        closeQuietly();
        // Tiny after a healthy connection (the drain case); growing while a server accepts and closes at once.
        backOff();
        return false;
    }

    private boolean heartbeat() throws IOException {
        out.write(PING);
        out.flush();
        lastActivity = System.nanoTime();
        long deadline = lastActivity + cfg.heartbeat().timeout().toNanos();
        while (true) {
            int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            String line;
            try {
                line = left > 0 ? lines.readLine(left) : null;
            } catch (EOFException e) {
                return serverClosed();
            }
            if (line == null) {
                counters.heartbeatMisses.increment();
                if (++heartbeatMisses >= cfg.heartbeat().maxMisses()) {
                    counters.heartbeatDrops.increment();
                    closeQuietly();
                    return false;
                }
                return true;
            }
            if ("PONG".equals(line)) {
                counters.heartbeatsOk.increment();
                heartbeatMisses = 0;
                return true;
            }
            if ("RECONNECT".equals(line)) {
                counters.reconnectRequests.increment();
                return serverClosed();
            }
        }
    }

    /** Sends the pending request and reads its answer; on a broken connection keeps it for a re-send. */
    private void exchange() {
        if (++pendingAttempts > 1) {
            counters.requestsRetried.increment();
        }
        long start = System.nanoTime();
        try {
            out.write(pending);
            out.flush();
            counters.bytesSent.add(pending.length);
            byte[] answer = cfg.lineProtocol() ? readLineAnswer() : readFully(pending.length);
            if (!Arrays.equals(answer, pending)) {
                counters.corruptResponses.increment();
                fail();
                closeQuietly();
                return;
            }
            counters.recordLatency(System.nanoTime() - start);
            counters.requestsOk.increment();
            counters.bytesVerified.add(answer.length);
            failures = 0; // only an answer proves the endpoint works: accept-then-close must not spin
            pending = null;
            lastActivity = System.nanoTime();
            if (reconnectAsked) {
                closeQuietly();
            }
        } catch (IOException e) {
            counters.resets.increment();
            closeQuietly();
            if (pendingAttempts >= cfg.maxAttempts()) {
                fail();
            }
        }
    }

    private byte[] readFully(int size) throws IOException {
        socket.setSoTimeout((int) cfg.requestTimeout().toMillis());
        byte[] answer = new byte[size];
        int got = 0;
        while (got < size) {
            int n = in.read(answer, got, size - got);
            if (n < 0) {
                throw new EOFException("closed by peer after " + got + " of " + size + " bytes");
            }
            got += n;
        }
        return answer;
    }

    private byte[] readLineAnswer() throws IOException {
        while (true) {
            String line = lines.readLine((int) cfg.requestTimeout().toMillis());
            if (line == null) {
                throw new SocketTimeoutException("no answer within " + cfg.requestTimeout());
            }
            if ("RECONNECT".equals(line)) {
                counters.reconnectRequests.increment();
                reconnectAsked = true; // finish this request, then move
            } else if (!"PONG".equals(line)) {
                return (line + "\n").getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    private void fail() {
        counters.requestsFailed.increment();
        counters.bytesLost.add(pending.length);
        pending = null;
    }

    /** A request that cannot even find a connection is given up after its whole budget. */
    private void giveUpIfTooOld() {
        long budget = cfg.requestTimeout().toNanos() * (cfg.maxAttempts() + 1L);
        if (pending != null && System.nanoTime() - pendingSince > budget) {
            fail();
        }
    }

    private void closeQuietly() {
        if (socket != null) {
            closeQuietly(socket);
            socket = null;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with the error
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
