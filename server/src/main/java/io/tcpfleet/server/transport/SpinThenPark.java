package io.tcpfleet.server.transport;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An event loop's select strategy that polls (epoll_wait without a timeout) for a bounded time
 * before it parks: a request that comes within that time is picked up without the wake-up of a
 * sleeping thread. Tasks already queued never wait for the spin.
 */
final class SpinThenPark implements SelectStrategy {

    private final long spinNanos;
    private final LongSupplier clock;

    SpinThenPark(long spinNanos) {
        this(spinNanos, System::nanoTime);
    }

    SpinThenPark(long spinNanos, LongSupplier clock) {
        this.spinNanos = spinNanos;
        this.clock = clock;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        long deadline = clock.getAsLong() + spinNanos;
        do {
            int ready = selectNow.get();
            if (ready > 0) {
                return ready;
            }
        } while (clock.getAsLong() - deadline < 0);
        return SelectStrategy.SELECT;
    }
}
