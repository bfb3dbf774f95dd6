package io.tcpfleet.server.admin;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who may drain or debug: only a caller on loopback (the pod's own preStop hook, or a human through
 * {@code kubectl port-forward}, whose connections the kubelet opens inside the pod), never the network.
 */
public final class AdminAccess {

    private AdminAccess() {}

    public static boolean fromLoopback(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress)) {
            return false;
        }
        InetSocketAddress inet = (InetSocketAddress) remote;
        return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
}
