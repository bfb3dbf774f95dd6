package io.tcpfleet.server.handler.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** {@code --upstream-proxy-protocol v2}: the header that tells the upstream who the client is. */
final class ProxyHeaderWriter {

    private static final String ENCODER = "proxy-protocol-out";

    private ProxyHeaderWriter() {}

    /** Writes the header to {@code backend}, on its event loop, before any relayed byte. */
    static void write(Channel backend, SocketAddress client, SocketAddress local) {
        // The encoder is only needed for this one message; it encodes inside write(), so it can go after.
        backend.pipeline().addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
        backend.writeAndFlush(header(client, local), backend.voidPromise());
        backend.pipeline().remove(ENCODER);
    }

    private static HAProxyMessage header(SocketAddress client, SocketAddress local) {
        if (!(client instanceof InetSocketAddress) || !(local instanceof InetSocketAddress)) {
            return new HAProxyMessage(
                    HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        InetSocketAddress src = (InetSocketAddress) client;
        InetSocketAddress dst = (InetSocketAddress) local;
        boolean v4 = src.getAddress() instanceof Inet4Address && dst.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(
                HAProxyProtocolVersion.V2,
                HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                v4 ? src.getAddress().getHostAddress() : v6(src),
                v4 ? dst.getAddress().getHostAddress() : v6(dst),
                src.getPort(),
                dst.getPort());
    }

    /** An IPv6 literal, an IPv4 address as IPv4-mapped when the other side is IPv6. */
    private static String v6(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address
                ? "::ffff:" + address.getAddress().getHostAddress()
                : address.getAddress().getHostAddress();
    }
}
