package io.tcpfleet.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Disruption;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.ProxyProtocol;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
import io.tcpfleet.operator.model.ServerDeployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server accepts every setting the operator hands it: the environment of an operator-built
 * Deployment starts the real server jar, which turns ready. Only the listen addresses and ports are
 * moved to free loopback ports (a test never listens beyond 127.0.0.1).
 */
class ServerContractIT {

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("defaults", (Consumer<TcpServiceSpec>) s -> {}),
                Arguments.of("proxy", (Consumer<TcpServiceSpec>) s -> {
                    s.setHandler("proxy");
                    s.setUpstream(new Upstream("127.0.0.1", 6379, "250ms"));
                }),
                Arguments.of("every knob at an edge", (Consumer<TcpServiceSpec>) s -> {
                    s.setPort(65000);
                    Keepalive k = new Keepalive();
                    k.setIdle("9h6m7s"); // 32767 s, the kernel's TCP_KEEPIDLE ceiling
                    k.setInterval("1s");
                    k.setCount(127);
                    Connections c = new Connections();
                    c.setMax(1);
                    c.setIdleTimeout("0");
                    c.setKeepalive(k);
                    s.setConnections(c);
                    s.setDrain(new Drain("0s", "1h30m"));
                    s.setDisruption(new Disruption(null, new IntOrString("50%")));
                    PodOverrides pod = new PodOverrides();
                    pod.setEnv(List.of(new EnvVar("JAVA_TOOL_OPTIONS", "-Xss1m", null)));
                    s.setPod(pod);
                }),
                // The TLS files are mounted Secrets, so TLS needs a pod; the rest of issue 21 starts here.
                Arguments.of("proxy protocol, connection age and paced drain", (Consumer<TcpServiceSpec>) s -> {
                    s.setHandler("proxy");
                    Upstream upstream = new Upstream("127.0.0.1", 6379, null);
                    upstream.setProxyProtocol(Upstream.UpstreamProxyProtocol.V2);
                    s.setUpstream(upstream);
                    s.setProxyProtocol(new ProxyProtocol(ProxyProtocol.Mode.Required, "1s"));
                    Connections c = new Connections();
                    c.setMaxAge("10m");
                    c.setMaxAgeJitterPercent(50);
                    c.setMaxAgeGrace("5s");
                    s.setConnections(c);
                    Drain d = new Drain();
                    d.setCloseRate(100);
                    s.setDrain(d);
                }),
                Arguments.of("short durations", (Consumer<TcpServiceSpec>) s -> {
                    Connections c = new Connections();
                    c.setIdleTimeout("250ms");
                    s.setConnections(c);
                    s.setDrain(new Drain("100ms", "0"));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void theServerStartsWithTheOperatorsEnvironment(String name, Consumer<TcpServiceSpec> customize, @TempDir Path tmp)
            throws Exception {
        assertThat(ServerJar.JAR)
                .as("built by the server module (mvn package -pl server)")
                .exists();
        TcpService tcps = new TcpService();
        tcps.setMetadata(new ObjectMetaBuilder()
                .withName("contract")
                .withNamespace("apps")
                .build());
        tcps.setSpec(new TcpServiceSpec());
        customize.accept(tcps.getSpec());
        Deployment d = ServerDeployment.build(tcps, "unused:1");
        List<EnvVar> env =
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();

        int adminPort = ServerJar.freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        env.forEach(e -> settings.put(e.getName(), e.getValue()));
        Process server = ServerJar.start(tmp, settings, ServerJar.freePort(), adminPort);
        try {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await(name + ": server ready on /health/ready")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!server.isAlive()) {
                            throw new AssertionError("server refused the operator's environment " + env + ":\n"
                                    + Files.readString(tmp.resolve("server.log")));
                        }
                        try {
                            return http.send(
                                                    HttpRequest.newBuilder(URI.create(
                                                                    "http://127.0.0.1:" + adminPort + "/health/ready"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .statusCode()
                                    == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
            assertThat(server.isAlive()).isTrue();
        } finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
