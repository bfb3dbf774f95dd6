package io.tcpfleet.server.drain;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGTERM (the kubelet) and SIGINT (a terminal) start the drain instead of stopping the JVM at once;
 * the second signal skips ahead. Replacing the JVM's handlers means shutdown hooks do not run on
 * these signals: {@code Main} exits by itself when the drain is over.
 */
public final class SignalDrain {

    private SignalDrain() {}

    public static void install(DrainCoordinator drain) {
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (signals.incrementAndGet() == 1) {
                    drain.start("SIG" + signal.getName());
                } else {
                    drain.skipAhead();
                }
            });
        }
    }
}
