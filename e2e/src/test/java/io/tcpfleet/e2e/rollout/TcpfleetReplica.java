package io.tcpfleet.e2e.rollout;

import io.tcpfleet.testkit.LoopbackHttp;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The real server jar run as the operator's pod template says, with only what co-location on one
 * machine forces us to change (each change is marked TRANSLATED below). The preStop hook is the
 * real drain script from the server module, with the image's jar path swapped for the local one.
 */
public final class TcpfleetReplica implements Replica {

    public static final Path JAR = RepoPaths.resolve("server/target/tcpfleet-server.jar");

    private final PodTemplate template;
    private final InetSocketAddress endpoint;
    private final Map<String, String> env;
    private final int adminPort;
    private final Process process;
    private final Path log;

    private TcpfleetReplica(
            PodTemplate template,
            InetSocketAddress endpoint,
            Map<String, String> env,
            int adminPort,
            Process process,
            Path log) {
        this.template = template;
        this.endpoint = endpoint;
        this.env = env;
        this.adminPort = adminPort;
        this.process = process;
        this.log = log;
    }

    public static TcpfleetReplica start(PodTemplate template, InetAddress podIp, Path logDir) {
        requireJar();
        Map<String, String> env = new HashMap<>(template.env());
        // TRANSLATED: a pod listens on 0.0.0.0 of its own network namespace; here all replicas share
        // one, so each binds its own loopback address (its "pod IP") on the template's port.
        env.put("TCPFLEET_BIND", podIp.getHostAddress());
        // TRANSLATED: the admin port (9090 in every pod) cannot be the same for co-located processes,
        // and the drain client reaches it over 127.0.0.1 as it does inside a pod: a free port there.
        int adminPort = Loopback.freePort();
        env.put("TCPFLEET_ADMIN_BIND", "127.0.0.1");
        env.put("TCPFLEET_ADMIN_PORT", String.valueOf(adminPort));
        // TRANSLATED: the image's plugin directory does not exist here; a missing one means "no plugins".
        env.putIfAbsent("TCPFLEET_PLUGINS_DIR", logDir.resolve("no-plugins").toString());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve("tcpfleet-" + podIp.getHostAddress() + ".log");
            Files.deleteIfExists(log.resolveSibling(log.getFileName() + ".prestop")); // a new pod, a new hook log
            // Small heap and C1 only: four JVMs start side by side on two loaded cores.
            ProcessBuilder pb = new ProcessBuilder(
                            javaBin(),
                            "-Xmx96m",
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-XX:-UsePerfData",
                            "-jar",
                            JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TCPFLEET_"));
            pb.environment().putAll(env);
            return new TcpfleetReplica(
                    template, new InetSocketAddress(podIp, template.tcpPort()), env, adminPort, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public PodTemplate template() {
        return template;
    }

    @Override
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    @Override
    public boolean ready() {
        return adminGet(template.readinessPath())
                .map(r -> r.statusCode() == 200)
                .orElse(false);
    }

    /** GET on the admin port (status and body), empty while nothing answers there. */
    public Optional<HttpResponse<String>> adminGet(String path) {
        return LoopbackHttp.get(adminPort, path, Duration.ofSeconds(2));
    }

    /**
     * The sum of the Prometheus samples of one metric whose labels contain {@code labelFragment}
     * (e.g. {@code reason="forced"}; "" for all), 0 when there is none, NaN when /metrics does not answer.
     */
    public double metric(String name, String labelFragment) {
        Optional<HttpResponse<String>> r = adminGet("/metrics");
        if (r.isEmpty() || r.get().statusCode() != 200) {
            return Double.NaN;
        }
        return r.get()
                .body()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .filter(l -> l.contains(labelFragment))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Resident memory of the process in bytes (VmRSS), 0 once it is gone. */
    public long residentBytes() {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst()
                    .orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public OptionalInt preStop(Duration budget) {
        // An exec hook sees the container's environment, here the translated one.
        return new PreStopHook(template.preStop(), env, log).run(budget);
    }

    @Override
    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void requireJar() {
        if (!Files.isReadable(JAR)) {
            throw new IllegalStateException(JAR + " missing: build the server module first (mvn -pl server package)");
        }
    }
}
