package io.tcpfleet.e2e.rollout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pod IPs for processes on one machine: each replica gets its own loopback address (127.0.0.2,
 * 127.0.0.3, ...; Linux routes all of 127/8 to lo), so every replica listens on the same port, as
 * pods do. A port is chosen free once per test so tests beside us are not hit.
 */
public final class Loopback {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private Loopback() {}

    /** A loopback address not handed out before in this JVM. */
    public static InetAddress nextAddress() {
        int n = NEXT.getAndIncrement();
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 250), (byte) (2 + n % 250)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TCP port free on 127.0.0.1 right now (the kernel's choice). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InetSocketAddress at(InetAddress address, int port) {
        return new InetSocketAddress(address, port);
    }
}
