package io.tcpfleet.server.plugin.example;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * The example plugin: a line protocol whose {@code PING} is answered {@code PONG} (the application
 * heartbeat), other lines are echoed, and on drain every client is told {@code RECONNECT}.
 */
public final class LinePingPlugin implements TcpfleetPlugin {

    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer().writeBytes("PONG\n".getBytes(StandardCharsets.US_ASCII)))
            .asReadOnly();
    private static final ByteBuf PING = Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer().writeBytes("PING".getBytes(StandardCharsets.US_ASCII)))
            .asReadOnly();
    private static final ByteBuf NEWLINE =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeByte('\n')).asReadOnly();

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public List<ChannelHandler> newConnectionHandlers() {
        return List.of(new LineBasedFrameDecoder(1024), LineHandler.INSTANCE);
    }

    @Override
    public void onDrain(Collection<Channel> openConnections) {
        for (Channel ch : openConnections) {
            ch.writeAndFlush(Unpooled.copiedBuffer("RECONNECT\n", StandardCharsets.US_ASCII));
        }
    }

    @Sharable
    static final class LineHandler extends SimpleChannelInboundHandler<ByteBuf> {
        static final LineHandler INSTANCE = new LineHandler();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            if (ByteBufUtil.equals(line, PING)) {
                ctx.write(PONG.duplicate(), ctx.voidPromise());
            } else {
                ctx.write(line.retain(), ctx.voidPromise());
                ctx.write(NEWLINE.duplicate(), ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
