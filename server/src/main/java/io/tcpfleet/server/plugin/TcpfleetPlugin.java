package io.tcpfleet.server.plugin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.Collection;
import java.util.List;

/**
 * A handler for a protocol of your own, selected with {@code --handler NAME}. Implementations are
 * found with {@link java.util.ServiceLoader} on the class path and in the jars of
 * {@code --plugins-dir} (declare them in {@code META-INF/services/io.tcpfleet.server.plugin.TcpfleetPlugin}).
 *
 * <p>The server owns the pipeline: connection tracking, the idle timeout, backpressure and error
 * handling come before and after the handlers returned here. A client's half-close is answered by
 * flushing what was written and closing, unless a plugin handler consumes the
 * {@code ChannelInputShutdownEvent} itself.
 *
 * <p>The client's address is {@link io.tcpfleet.server.connection.ClientAddress#of(Channel)}: behind a
 * load balancer with {@code --proxy-protocol required} the one its header named, known by the time
 * the handlers see {@code channelActive}; otherwise the socket's peer.
 */
public interface TcpfleetPlugin {

    /** The {@code --handler} value that selects this plugin; lower case, not echo or proxy. */
    String name();

    /**
     * True if the handlers call blocking code (JDBC, file I/O, a synchronous client). They then run on
     * the bounded worker pool ({@code --blocking-threads}, {@code --blocking-queue}), never on an event
     * loop; work beyond the queue is refused, counted, and its connection closed.
     */
    default boolean blocking() {
        return false;
    }

    /** The handlers for one new connection, in pipeline order: new instances, or {@code @Sharable} ones. */
    List<ChannelHandler> newConnectionHandlers();

    /**
     * These connections are asked to go: wind down, for example tell their clients to reconnect
     * elsewhere. The drain asks every connection once it has closed the listener, all in one call or,
     * with {@code --drain-close-rate}, a few at a time; {@code --max-connection-age} asks a connection
     * alone when it is old enough. Each connection is asked at most once. Called off the event loops;
     * must not block for long. A connection asked is closed once idle, or at the end of the drain
     * timeout or the age grace.
     */
    default void onDrain(Collection<Channel> openConnections) {}
}
