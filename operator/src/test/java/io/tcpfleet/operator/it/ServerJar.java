package io.tcpfleet.operator.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The server module's jar as a process on loopback: the real server the operator configures and scrapes. */
public final class ServerJar {

    public static final Path JAR = Path.of("..", "server", "target", "tcpfleet-server.jar");

    private ServerJar() {}

    /**
     * Starts the jar with {@code settings} (TCPFLEET_* variables) on these loopback ports, with none inherited from
     * this JVM; its output goes to {@code dir}/server.log, its plugins directory is {@code dir}/plugins.
     */
    public static Process start(Path dir, Map<String, String> settings, int port, int adminPort) throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TCPFLEET_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.putAll(settings);
        env.put("TCPFLEET_BIND", "127.0.0.1");
        env.put("TCPFLEET_ADMIN_BIND", "127.0.0.1");
        env.put("TCPFLEET_PORT", String.valueOf(port));
        env.put("TCPFLEET_ADMIN_PORT", String.valueOf(adminPort));
        env.put("TCPFLEET_PLUGINS_DIR", dir.resolve("plugins").toString());
        return pb.start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
