package io.tcpfleet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.local.LocalAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The loopback check of /drain and /debug, tested directly: no test traffic ever goes to a non-loopback address. */
class AdminAccessTest {

    @Test
    void loopbackCallersAreAllowed() throws Exception {
        assertThat(AdminAccess.fromLoopback(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000)))
                .isTrue();
        assertThat(AdminAccess.fromLoopback(new InetSocketAddress(InetAddress.getByName("127.3.2.1"), 40000)))
                .isTrue();
        assertThat(AdminAccess.fromLoopback(new InetSocketAddress(InetAddress.getByName("::1"), 40000)))
                .isTrue();
    }

    @Test
    void everyoneElseIsRefused() throws Exception {
        for (String address : new String[] {
            "10.0.0.7",
            "192.168.1.10",
            "172.17.0.2",
            "8.8.8.8",
            "0.0.0.0",
            "::",
            "fe80::1",
            "::ffff:10.0.0.7",
            "2001:db8::1"
        }) {
            assertThat(AdminAccess.fromLoopback(new InetSocketAddress(InetAddress.getByName(address), 40000)))
                    .as(address)
                    .isFalse();
        }
    }

    @Test
    void unresolvedAndNonInetAddressesAreRefused() {
        assertThat(AdminAccess.fromLoopback(InetSocketAddress.createUnresolved("localhost", 1)))
                .isFalse();
        assertThat(AdminAccess.fromLoopback(new LocalAddress("x"))).isFalse();
        assertThat(AdminAccess.fromLoopback(null)).isFalse();
    }
}
