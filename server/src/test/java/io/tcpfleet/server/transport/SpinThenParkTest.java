package io.tcpfleet.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpinThenParkTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger polls = new AtomicInteger();

    @Test
    void returnsTheReadyCountAsSoonAsAPollFindsEvents() throws Exception {
        SpinThenPark strategy = new SpinThenPark(50_000, now::get);

        int result = strategy.calculateStrategy(
                () -> {
                    now.addAndGet(1_000);
                    return polls.incrementAndGet() == 3 ? 2 : 0;
                },
                false);

        assertThat(result).isEqualTo(2);
        assertThat(polls).hasValue(3);
    }

    @Test
    void parksOnceTheSpinTimeIsUsedUp() throws Exception {
        SpinThenPark strategy = new SpinThenPark(50_000, now::get);

        int result = strategy.calculateStrategy(
                () -> {
                    now.addAndGet(10_000);
                    polls.incrementAndGet();
                    return 0;
                },
                false);

        assertThat(result).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(5);
    }

    @Test
    void pollsOnceWithoutSpinningWhenTasksAreQueued() throws Exception {
        SpinThenPark strategy = new SpinThenPark(50_000, now::get);

        int result = strategy.calculateStrategy(
                () -> {
                    polls.incrementAndGet();
                    return 0;
                },
                true);

        assertThat(result).isZero();
        assertThat(polls).hasValue(1);
    }
}
