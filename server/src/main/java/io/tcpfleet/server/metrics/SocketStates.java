package io.tcpfleet.server.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts the kernel's TCP sockets on one local port by state, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (the pod's network namespace). The files are read at most once per
 * {@code maxAge}: every {@code tcpfleet_sockets} gauge of one scrape reads the same snapshot, and
 * nothing is done per connection on the data path.
 */
public final class SocketStates {

    /** The kernel's TCP states (include/net/tcp_states.h), as exported; SYN_SENT is never on a listening port. */
    public enum State {
        established(0x01),
        syn_recv(0x03),
        fin_wait1(0x04),
        fin_wait2(0x05),
        time_wait(0x06),
        close(0x07),
        close_wait(0x08),
        last_ack(0x09),
        listen(0x0A),
        closing(0x0B);

        private static final State[] ALL = values(); // values() copies the array: once, not per /proc line

        private final int code;

        State(int code) {
            this.code = code;
        }

        static State of(int code) {
            for (State s : ALL) {
                if (s.code == code) {
                    return s;
                }
            }
            return code == 0x0C ? syn_recv : null; // NEW_SYN_RECV: a request socket, i.e. a half-open connection
        }
    }

    public static final List<Path> PROC_FILES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private final List<Path> files;
    private final LongSupplier port;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private Map<State, Integer> snapshot;
    private long takenAt;

    /**
     * @param port the local port whose sockets count; read when a snapshot is taken (the listener may bind port 0)
     */
    public SocketStates(List<Path> files, LongSupplier port, long maxAgeNanos, LongSupplier clock) {
        this.files = files;
        this.port = port;
        this.maxAgeNanos = maxAgeNanos;
        this.clock = clock;
    }

    public static boolean available() {
        return Files.isReadable(PROC_FILES.get(0));
    }

    public synchronized int count(State state) {
        long now = clock.getAsLong();
        if (snapshot == null || now - takenAt >= maxAgeNanos) {
            snapshot = read();
            takenAt = now;
        }
        return snapshot.get(state);
    }

    private Map<State, Integer> read() {
        Map<State, Integer> counts = new EnumMap<>(State.class);
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        long localPort = port.getAsLong();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                in.readLine(); // header
                String line;
                while ((line = in.readLine()) != null) {
                    count(line, localPort, counts);
                }
            } catch (NoSuchFileException e) {
                // no IPv6 in this namespace: nothing to count there
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return counts;
    }

    /** One line: {@code sl local_address rem_address st ...}, addresses as {@code HEXIP:HEXPORT}. */
    static void count(String line, long localPort, Map<State, Integer> counts) {
        int i = skipField(line, skipSpaces(line, 0)); // sl
        int local = skipSpaces(line, i);
        int localEnd = line.indexOf(' ', local);
        int colon = line.lastIndexOf(':', localEnd);
        if (local < 0 || localEnd < 0 || colon < local) {
            return;
        }
        if (Long.parseLong(line, colon + 1, localEnd, 16) != localPort) {
            return;
        }
        int stateStart = skipSpaces(line, skipField(line, skipSpaces(line, localEnd))); // skip rem_address
        State state = State.of(Integer.parseInt(line, stateStart, stateStart + 2, 16));
        if (state != null) {
            counts.merge(state, 1, Integer::sum);
        }
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int skipField(String line, int i) {
        while (i < line.length() && line.charAt(i) != ' ') {
            i++;
        }
        return i;
    }
}
