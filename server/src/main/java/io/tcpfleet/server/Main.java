package io.tcpfleet.server;

import io.tcpfleet.server.config.ConfigException;
import io.tcpfleet.server.config.ConfigLoader;
import io.tcpfleet.server.config.ServerConfig;
import io.tcpfleet.server.drain.DrainResult;
import io.tcpfleet.server.drain.SignalDrain;
import io.tcpfleet.server.logging.Log;
import io.tcpfleet.server.logging.Logging;
import io.tcpfleet.server.plugin.PluginLoader;
import io.tcpfleet.server.plugin.TcpfleetPlugin;
import io.tcpfleet.server.transport.Transport;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar tcpfleet-server.jar}: exit 0 after a drain (or --help), 2 for a bad setting
 * (one line on stderr, nothing started), 1 if the server cannot start (a port in use, ...).
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        ConfigLoader.Parsed parsed;
        Map<String, TcpfleetPlugin> plugins;
        try {
            parsed = ConfigLoader.parse(args, env);
            if (parsed.text() != null) {
                System.out.print(parsed.text());
                return EXIT_OK;
            }
            Logging.configure(parsed.config().logLevel());
            warnAboutUnknownVariables(parsed.unknownVariables());
            plugins = PluginLoader.load(parsed.config().pluginsDir(), Main.class.getClassLoader());
            TcpfleetServer.selectHandler(parsed.config(), plugins);
        } catch (ConfigException e) {
            System.err.println("tcpfleet-server: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        return serve(parsed.config(), plugins);
    }

    private static void warnAboutUnknownVariables(List<String> names) {
        Log log = Log.get(Main.class);
        for (String name : names) {
            log.warn(
                    "ignoring unknown environment variable",
                    "variable",
                    name,
                    "why",
                    "not a setting of this server version; probably set by a newer operator");
        }
    }

    private static int serve(ServerConfig config, Map<String, TcpfleetPlugin> plugins) {
        Log log = Log.get(Main.class);
        TcpfleetServer server;
        try {
            server = TcpfleetServer.start(config, Transport.detect(), plugins);
        } catch (ConfigException e) {
            System.err.println("tcpfleet-server: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (Exception e) {
            log.error("server failed to start", e);
            return EXIT_FAILED;
        }
        SignalDrain.install(server.drain());
        DrainResult result = server.drain().result().join();
        server.close();
        log.info("server stopped", "forced", result.forced());
        return EXIT_OK;
    }
}
