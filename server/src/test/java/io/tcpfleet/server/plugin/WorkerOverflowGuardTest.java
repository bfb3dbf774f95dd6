package io.tcpfleet.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.tcpfleet.server.connection.ConnectionRegistry;
import io.tcpfleet.server.connection.ConnectionTracker;
import io.tcpfleet.server.metrics.CloseReason;
import io.tcpfleet.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WorkerOverflowGuardTest {

    @Test
    void aFullWorkerQueueRefusesCountsClosesAndLeaksNothing() throws Exception {
        ServerMetrics metrics = new ServerMetrics(PooledByteBufAllocator.DEFAULT);
        ConnectionRegistry registry = new ConnectionRegistry(10, Duration.ZERO);
        DefaultEventExecutorGroup workers = new DefaultEventExecutorGroup(
                1, new DefaultThreadFactory("test-blocking"), 16, RejectedExecutionHandlers.reject());
        CountDownLatch unblock = new CountDownLatch(1);
        try {
            EmbeddedChannel ch = new EmbeddedChannel();
            registry.tryAdmit(ch);
            ch.pipeline().addLast(new ConnectionTracker(metrics, registry), new WorkerOverflowGuard(metrics));
            ch.pipeline().addLast(workers, "blocking", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                    try {
                        unblock.await(10, TimeUnit.SECONDS);
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                }
            });
            List<ByteBuf> sent = new ArrayList<>();
            for (int i = 0; i < 100 && ch.isOpen(); i++) {
                ByteBuf msg = PooledByteBufAllocator.DEFAULT.directBuffer().writeInt(i);
                sent.add(msg);
                ch.pipeline().fireChannelRead(msg);
            }
            ch.runPendingTasks();
            assertThat(ch.isOpen()).as("refused once the queue was full").isFalse();
            assertThat(metrics.workerRejected().count()).isEqualTo(1.0);
            assertThat(metrics.closed(CloseReason.limit).count()).isEqualTo(1.0);
            assertThat(sent.size()).isLessThan(100);
            unblock.countDown();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(sent)
                            .allSatisfy(b -> assertThat(b.refCnt()).isZero()));
        } finally {
            unblock.countDown();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            metrics.close();
        }
    }
}
