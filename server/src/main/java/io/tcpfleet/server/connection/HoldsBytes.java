package io.tcpfleet.server.connection;

import io.netty.channel.ChannelHandler;

/**
 * A handler that moves bytes past the pipeline and may hold some not yet written to the peer, which
 * the outbound buffer does not show (the splice echo's pipe). {@link ConnectionTracker#unsentBytes}
 * counts them, so the drain does not close such a connection as idle.
 */
public interface HoldsBytes extends ChannelHandler {

    /** Bytes read and not yet written; from any thread. */
    int heldBytes();
}
