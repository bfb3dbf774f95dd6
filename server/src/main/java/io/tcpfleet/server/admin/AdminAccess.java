package io.tcpfleet.server.admin;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Who may start a drain: only a caller on loopback (the pod's own preStop hook), never the network. */
public final class AdminAccess {

    private AdminAccess() {
    }

    public static boolean mayDrain(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress)) {
            return false;
        }
        InetSocketAddress inet = (InetSocketAddress) remote;
        return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
}
