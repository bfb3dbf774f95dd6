package io.tcpfleet.server.plugin.example;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import io.tcpfleet.server.testing.Wire;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A request-response protocol that answers once the client has half-closed: a while after the FIN,
 * {@value #MIB} copies of {@link #CHUNK}, more than the socket buffers hold, then the close.
 */
public final class AnswerAfterFinPlugin implements TcpfleetPlugin {

    public static final int MIB = 32;
    public static final byte[] CHUNK = Wire.randomBytes(1 << 20, 14);

    @Override
    public String name() {
        return "answer-after-fin";
    }

    @Override
    public List<ChannelHandler> newConnectionHandlers() {
        return List.of(new Answerer());
    }

    static final class Answerer extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // the request
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof ChannelInputShutdownEvent)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            ctx.executor()
                    .schedule(
                            () -> {
                                for (int i = 0; i < MIB; i++) {
                                    ctx.write(Unpooled.wrappedBuffer(CHUNK), ctx.voidPromise());
                                }
                                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                            },
                            300,
                            TimeUnit.MILLISECONDS);
        }
    }
}
