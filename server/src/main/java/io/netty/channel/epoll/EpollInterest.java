package io.netty.channel.epoll;

import io.netty.channel.Channel;
import java.io.IOException;

/**
 * Works around Netty 4.2.18's epoll registration: when a channel's interest set becomes empty, Netty
 * removes its descriptor from epoll (netty/netty#16689) but goes on treating it as added, so the next
 * interest is an EPOLL_CTL_MOD that fails with ENOENT. A half-closed connection gets there: the peer's
 * FIN ends the read interests, and once nothing waits to be written the set is empty. A write the
 * socket cannot take at once then fails and the rest of the response is lost. This class sits in
 * Netty's package for {@link AbstractEpollChannel#setFlag}, which is not public.
 */
public final class EpollInterest {

    private EpollInterest() {}

    /**
     * Keeps EPOLLERR in {@code channel}'s interest set, so the set is never empty. epoll reports
     * EPOLLERR whether asked for or not, so no event changes. Called on the peer's FIN
     * ({@code ChannelInputShutdownEvent}), while Netty still holds the read-hangup interest: before
     * then the set is never empty, and an open connection pays no extra system call. Does nothing for
     * other transports.
     */
    public static void keepRegistered(Channel channel) throws IOException {
        if (channel instanceof AbstractEpollStreamChannel epoll && epoll.isRegistered()) {
            epoll.setFlag(EpollIoOps.EPOLLERR.value);
        }
    }
}
