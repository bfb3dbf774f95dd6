package io.tcpfleet.server.connection;

import io.netty.channel.Channel;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.metrics.CloseReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Asks connections to go, for the drain and for {@code --max-connection-age}, each connection once:
 * the plugin, if any, hears of it through its drain callback so its protocol can say goodbye; then
 * a connection that is idle is closed. Echo and proxy have no goodbye, so for them being asked
 * means: closed now if idle, else once it goes idle ({@link #closeIfIdle}), or at the deadline of
 * whoever asked (the drain timeout, the age grace).
 */
public final class GoAway {

    private static final Log LOG = Log.get(GoAway.class);

    private final Consumer<Collection<Channel>> tellHandler;

    /** @param tellHandler the plugin's drain callback; a no-op for echo and proxy */
    public GoAway(Consumer<Collection<Channel>> tellHandler) {
        this.tellHandler = tellHandler;
    }

    /**
     * Asks those of {@code channels} not yet asked and closes the idle ones among them as {@code why};
     * returns how many were asked now. Off the event loops: a plugin's callback may take its time.
     */
    public int ask(Collection<Channel> channels, CloseReason why) {
        List<Channel> asked = new ArrayList<>(channels.size());
        for (Channel ch : channels) {
            ConnectionTracker tracker = ConnectionTracker.of(ch);
            if (tracker != null && ch.isActive() && tracker.markAsked()) {
                asked.add(ch);
            }
        }
        if (asked.isEmpty()) {
            return 0;
        }
        try {
            tellHandler.accept(asked);
        } catch (RuntimeException e) {
            LOG.warn("handler failed to react to the drain", e);
        }
        for (Channel ch : asked) {
            closeIfIdle(ch, why);
        }
        return asked.size();
    }

    /** Closes {@code ch} as {@code why} if it was asked to go and is idle now; from any thread. */
    public static void closeIfIdle(Channel ch, CloseReason why) {
        ConnectionTracker tracker = ConnectionTracker.of(ch);
        if (tracker != null && tracker.asked() && tracker.idle()) {
            ConnectionTracker.close(ch, why);
        }
    }
}
