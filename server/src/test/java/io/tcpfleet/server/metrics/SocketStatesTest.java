package io.tcpfleet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.server.metrics.SocketStates.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketStatesTest {

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    @TempDir
    Path dir;

    @Test
    void countsOnlyTheLocalPortByStateInBothFiles() throws Exception {
        // Port 7000 = 0x1B58. Client-side sockets have 7000 as the remote port and do not count.
        Path tcp = write(
                "tcp",
                HEADER
                        + "   0: 0100007F:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0\n"
                        + "   1: 0100007F:1B58 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1\n"
                        + "   2: 0100007F:1B58 0100007F:D432 08 00000000:00000000 00:00000000 00000000  1000        0 3 1 0 20 4 30 10 -1\n"
                        + "   3: 0100007F:D431 0100007F:1B58 01 00000000:00000000 00:00000000 00000000  1000        0 4 1 0 20 4 30 10 -1\n"
                        + "   4: 0100007F:1B59 0100007F:D433 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n");
        Path tcp6 = write(
                "tcp6",
                HEADER
                        + "   0: 00000000000000000000000001000000:1B58 00000000000000000000000001000000:E001 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n"
                        + "   1: 00000000000000000000000001000000:1B58 00000000000000000000000001000000:E002 0C 00000000:00000000 00:00000000 00000000     0        0 0 3 0\n");
        SocketStates states = new SocketStates(List.of(tcp, tcp6), () -> 7000, 1_000_000_000L, () -> 0L);
        assertThat(states.count(State.listen)).isEqualTo(1);
        assertThat(states.count(State.established)).isEqualTo(1);
        assertThat(states.count(State.close_wait)).isEqualTo(1);
        assertThat(states.count(State.time_wait)).isEqualTo(1);
        assertThat(states.count(State.syn_recv))
                .as("NEW_SYN_RECV is a half-open connection")
                .isEqualTo(1);
        assertThat(states.count(State.fin_wait2)).isZero();
    }

    @Test
    void readsTheFilesOncePerMaxAgeWhateverTheNumberOfGauges() throws Exception {
        Path tcp = write(
                "tcp",
                HEADER
                        + "   0: 0100007F:1B58 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1\n");
        AtomicLong now = new AtomicLong();
        SocketStates states = new SocketStates(List.of(tcp, dir.resolve("absent-tcp6")), () -> 7000, 1_000L, now::get);
        assertThat(states.count(State.established)).isEqualTo(1);
        Files.writeString(tcp, HEADER);
        now.set(999);
        assertThat(states.count(State.established))
                .as("same snapshot within max age")
                .isEqualTo(1);
        now.set(1_000);
        assertThat(states.count(State.established)).as("re-read after max age").isZero();
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
