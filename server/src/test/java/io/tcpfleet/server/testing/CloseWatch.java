package io.tcpfleet.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;

/**
 * Many client connections to an echo server, watched from one thread: each makes one round trip (so
 * the server has admitted it), then stays silent; the time the server closes each one is recorded.
 */
public final class CloseWatch implements AutoCloseable {

    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<Long> closedAtNanos = new ArrayList<>();
    private final Set<Integer> closedIndexes = new TreeSet<>();
    private final Thread thread;

    private CloseWatch(InetSocketAddress address, int connections) throws IOException {
        selector = Selector.open();
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", address.getPort()));
            channels.add(ch);
            ch.write(one.clear().put((byte) i).flip());
            if (ch.read(one.clear()) != 1) {
                throw new IOException("connection " + i + " was not echoed");
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, i);
        }
        thread = new Thread(this::watch, "close-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens {@code connections} connections to {@code address}, one after the other. */
    public static CloseWatch open(InetSocketAddress address, int connections) throws IOException {
        return new CloseWatch(address, connections);
    }

    private void watch() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (!Thread.currentThread().isInterrupted() && selector.isOpen()) {
                selector.select(100);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    int n;
                    try {
                        n = ch.read(buf.clear());
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        ch.close();
                        synchronized (closedAtNanos) {
                            closedAtNanos.add(now);
                            closedIndexes.add((Integer) key.attachment());
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed by close()
        }
    }

    /** Sends one byte on connection {@code i} (echoed back and ignored), so the server sees it busy. */
    public void poke(int i) {
        try {
            channels.get(i).write(ByteBuffer.wrap(new byte[] {(byte) i}));
        } catch (IOException closedAlready) {
            // the server closed it (or the watch did): nothing left to keep busy
        }
    }

    /** The most closes seen within any one second. */
    public int mostClosesInOneSecond() {
        List<Long> times = closedAtNanos();
        int most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= 1_000_000_000L) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** Which connections the server closed, by the order they were opened in (0 first). */
    public Set<Integer> closedIndexes() {
        synchronized (closedAtNanos) {
            return new TreeSet<>(closedIndexes);
        }
    }

    public int closed() {
        synchronized (closedAtNanos) {
            return closedAtNanos.size();
        }
    }

    /** Waits until the server has closed every connection. */
    public void awaitAllClosed(Duration atMost) {
        Awaitility.await().atMost(atMost).until(() -> closed() == channels.size());
    }

    /** When each connection was seen closed, System.nanoTime(), in order. */
    public List<Long> closedAtNanos() {
        synchronized (closedAtNanos) {
            return closedAtNanos.stream().sorted().toList();
        }
    }

    /** Seconds between the first and the last close. */
    public double spreadSeconds() {
        List<Long> times = closedAtNanos();
        return (times.get(times.size() - 1) - times.get(0)) / 1e9;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            selector.close();
            for (SocketChannel ch : channels) {
                ch.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
