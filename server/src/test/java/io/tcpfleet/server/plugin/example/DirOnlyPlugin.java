package io.tcpfleet.server.plugin.example;

import io.netty.channel.ChannelHandler;
import io.tcpfleet.server.handler.EchoHandler;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import java.util.List;

/** Not registered on the test class path: only a jar in --plugins-dir names it. */
public final class DirOnlyPlugin implements TcpfleetPlugin {

    @Override
    public String name() {
        return "from-dir";
    }

    @Override
    public List<ChannelHandler> newConnectionHandlers() {
        return List.of(EchoHandler.INSTANCE);
    }
}
