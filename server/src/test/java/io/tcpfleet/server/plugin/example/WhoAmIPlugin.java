package io.tcpfleet.server.plugin.example;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tcpfleet.server.connection.ClientAddress;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import java.net.InetSocketAddress;
import java.util.List;

/** Greets each client with the address the server has for it ({@code ip port\n}), then echoes. */
public final class WhoAmIPlugin implements TcpfleetPlugin {

    @Override
    public String name() {
        return "whoami";
    }

    @Override
    public List<ChannelHandler> newConnectionHandlers() {
        return List.of(Greeter.INSTANCE);
    }

    @Sharable
    static final class Greeter extends ChannelInboundHandlerAdapter {
        static final Greeter INSTANCE = new Greeter();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetSocketAddress client = (InetSocketAddress) ClientAddress.of(ctx.channel());
            ctx.writeAndFlush(ByteBufUtil.writeAscii(
                    ctx.alloc(), client.getAddress().getHostAddress() + " " + client.getPort() + "\n"));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
