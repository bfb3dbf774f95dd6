package io.tcpfleet.server.connection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * The address of the client behind a connection: the one a PROXY protocol header named
 * ({@code --proxy-protocol required}), else the socket's peer. Logs and plugins ask here rather than
 * {@link Channel#remoteAddress()}, which behind a load balancer is the balancer's.
 */
public final class ClientAddress {

    private static final AttributeKey<SocketAddress> REAL = AttributeKey.valueOf(ClientAddress.class, "real");

    private ClientAddress() {}

    /** The client's address; from a plugin, known by the time its handlers see {@code channelActive}. */
    public static SocketAddress of(Channel channel) {
        // hasAttr first: a connection without a header never grows an attribute map.
        if (channel.hasAttr(REAL)) {
            SocketAddress real = channel.attr(REAL).get();
            if (real != null) {
                return real;
            }
        }
        return channel.remoteAddress();
    }

    /** Records the address a PROXY protocol header gave for {@code channel}. */
    public static void set(Channel channel, SocketAddress real) {
        channel.attr(REAL).set(real);
    }
}
