package io.tcpfleet.server.plugin;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.tcpfleet.server.metrics.ServerMetrics;
import io.tcpfleet.server.pipeline.AutoReadBackpressure;
import io.tcpfleet.server.pipeline.HandlerNames;
import java.util.List;

/**
 * Installs the selected plugin's handlers into a connection's pipeline, behind the auto-read
 * backpressure: on the event loop for a non-blocking plugin, on the bounded worker pool behind a
 * {@link WorkerOverflowGuard} for a blocking one.
 */
public final class PluginHandlers implements AutoCloseable {

    private final TcpfleetPlugin plugin;
    private final ServerMetrics metrics;
    private final EventExecutorGroup workers;

    public PluginHandlers(TcpfleetPlugin plugin, ServerMetrics metrics, int blockingThreads, int blockingQueue) {
        this.plugin = plugin;
        this.metrics = metrics;
        // One queue per worker thread; a connection sticks to one worker, so its events stay in order.
        this.workers = plugin.blocking()
                ? new DefaultEventExecutorGroup(
                        blockingThreads,
                        new DefaultThreadFactory("tcpfleet-blocking", true),
                        blockingQueue,
                        RejectedExecutionHandlers.reject())
                : null;
    }

    public TcpfleetPlugin plugin() {
        return plugin;
    }

    public void addTo(ChannelPipeline pipeline) {
        List<ChannelHandler> handlers = plugin.newConnectionHandlers();
        pipeline.addLast(HandlerNames.BACKPRESSURE, AutoReadBackpressure.INSTANCE);
        if (workers != null) {
            pipeline.addLast(HandlerNames.OVERFLOW, new WorkerOverflowGuard(metrics));
        }
        for (int i = 0; i < handlers.size(); i++) {
            String name = i == 0 ? HandlerNames.HANDLER : HandlerNames.HANDLER + "-" + i;
            if (workers != null) {
                try {
                    pipeline.addLast(workers, name, handlers.get(i));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    WorkerOverflowGuard.refuseAtAccept(pipeline.channel(), metrics);
                    return;
                }
            } else {
                pipeline.addLast(name, handlers.get(i));
            }
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
