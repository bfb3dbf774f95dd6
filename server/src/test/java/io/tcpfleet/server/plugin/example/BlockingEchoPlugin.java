package io.tcpfleet.server.plugin.example;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A plugin that declares it blocks: each message waits on a gate the test opens, then is echoed. */
public final class BlockingEchoPlugin implements TcpfleetPlugin {

    public static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>(new CountDownLatch(0));
    public static final AtomicReference<String> LAST_THREAD = new AtomicReference<>();

    @Override
    public String name() {
        return "blocking-echo";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public List<ChannelHandler> newConnectionHandlers() {
        return List.of(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                LAST_THREAD.set(Thread.currentThread().getName());
                try {
                    GATE.get().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    ReferenceCountUtil.release(msg);
                    throw e;
                }
                ctx.writeAndFlush(msg);
            }
        });
    }
}
