package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * spec.proxyProtocol Required on a real pod, reached as a load balancer reaches it: through the
 * Service's ClusterIP, which kube-proxy translates, so the pod's socket sees this machine, never the
 * client a header names. Runs the operator of this checkout as a process, watching a namespace of its
 * own whose pods go to the real node; the server is the image the node has.
 */
@ExtendWith(OperatorLogsOnFailure.class)
class ProxyProtocolOnRealPodsE2E {

    private static final String NAMESPACE = "tcpfleet-real-proxy-protocol";
    private static final String NAME = "echo-proxied";
    private static final int PORT = 7000;
    private static final int ADMIN_PORT = 9090;
    /** Documentation addresses (RFC 5737): no node, pod or Service of this cluster has them. */
    private static final String V2_CLIENT = "203.0.113.7";

    private static final int V2_CLIENT_PORT = 4242;
    private static final String V1_CLIENT = "203.0.113.8";
    private static final int V1_CLIENT_PORT = 4343;
    private static final String CLOSED_PROXY_PROTOCOL = "tcpfleet_connections_closed_total{reason=\"proxy_protocol\"}";
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void operatorWatchingANamespaceOnTheRealNode() {
        InstalledBase.crds();
        client = LocalCluster.shared().newClient();
        client.namespaces().resource(RealNode.realNodeNamespace(NAMESPACE)).serverSideApply();
        operator = OperatorUnderTest.start(LocalCluster.shared().kubeconfig(), NAMESPACE, NAMESPACE);
    }

    @AfterAll
    static void cleanUp() {
        if (operator != null) {
            operator.close();
        }
        if (client != null) {
            client.namespaces().withName(NAMESPACE).delete();
            client.close();
        }
    }

    @Test
    void aHeadersClientIsEchoedAndLoggedByItsAddressAConnectionWithoutOneIsClosedAndCounted() throws Exception {
        new TcpServices(client, NAMESPACE).apply("""
                apiVersion: tcpfleet.io/v1alpha1
                kind: TcpService
                metadata:
                  name: %s
                spec:
                  replicas: 1
                  handler: echo
                  port: %d
                  proxyProtocol:
                    mode: Required
                    timeout: 2s
                  drain:
                    delay: 1s
                    timeout: 2s
                """.formatted(NAME, PORT));
        Pod pod = awaitReadyPod();
        String metrics = "http://" + pod.getStatus().getPodIP() + ":" + ADMIN_PORT + "/metrics";
        InetSocketAddress service = new InetSocketAddress(
                client.services()
                        .inNamespace(NAMESPACE)
                        .withName(NAME)
                        .get()
                        .getSpec()
                        .getClusterIP(),
                PORT);
        // Each closed connection and its client are logged at debug; troubleshooting.md's way there.
        setLogLevel(pod, "debug");

        assertThat(echo(service, v2Header(V2_CLIENT, V2_CLIENT_PORT, service), "after a v2 header\n"))
                .as("the echo of what followed the v2 header, and only that")
                .isEqualTo("after a v2 header\n");
        String v1Header = "PROXY TCP4 %s %s %d %d\r\n"
                .formatted(V1_CLIENT, service.getAddress().getHostAddress(), V1_CLIENT_PORT, PORT);
        assertThat(echo(service, ascii(v1Header), "after a v1 header\n"))
                .as("the echo of what followed the v1 header, and only that")
                .isEqualTo("after a v1 header\n");

        assertThat(unanswered(service, ascii("data and no header\n")))
                .as("a client that sends no header: closed at spec.proxyProtocol.timeout, nothing echoed")
                .isEmpty();
        assertThat(unanswered(service, ascii("GET / HTTP/1.1\r\nHost: echo\r\n\r\n")))
                .as("a client whose first line is no header: closed at once, nothing echoed")
                .isEmpty();
        byte[] unknownVersion = concat(V2_SIGNATURE, new byte[] {0x31, 0x11, 0x00, 0x0C}, new byte[12]);
        assertThat(unanswered(service, unknownVersion))
                .as("a v2 header of version 3: closed at once, nothing echoed")
                .isEmpty();

        await("the refused connections counted on the pod's admin port")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> sample(RealNode.httpBody(metrics), CLOSED_PROXY_PROTOCOL), count -> count == 3.0);
        List<JsonNode> closed = await("the pod's log tells all five connections closed")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> closedConnections(pod), lines -> lines.size() >= 5);
        assertThat(closed)
                .filteredOn(line -> line.path("reason").asText().equals("client"))
                .as("the clients that sent a header, by the address it named: %s", closed)
                .extracting(line -> line.path("remote").asText())
                .containsExactlyInAnyOrder(
                        "/" + V2_CLIENT + ":" + V2_CLIENT_PORT, "/" + V1_CLIENT + ":" + V1_CLIENT_PORT);
        assertThat(closed)
                .filteredOn(line -> line.path("reason").asText().equals("proxy_protocol"))
                .as(
                        "the refused ones, by the address the pod's socket saw (this machine through kube-proxy): %s",
                        closed)
                .hasSize(3)
                .allSatisfy(line -> assertThat(line.path("remote").asText())
                        .doesNotContain(V2_CLIENT)
                        .doesNotContain(V1_CLIENT));
    }

    /** What the pod sends back for {@code data}, written after {@code header}, as many bytes as were sent. */
    private static String echo(InetSocketAddress service, byte[] header, String data) throws IOException {
        try (Socket socket = connect(service)) {
            socket.getOutputStream().write(concat(header, ascii(data)));
            return new String(socket.getInputStream().readNBytes(data.length()), StandardCharsets.US_ASCII);
        }
    }

    /**
     * What the pod sends back for {@code bytes} until it closes the connection. The client does not half-close: a
     * FIN before a complete header ends the connection as the client's own close (reason client), as a balancer's
     * bare TCP health check does, not as a refused one.
     */
    private static String unanswered(InetSocketAddress service, byte[] bytes) throws IOException {
        try (Socket socket = connect(service)) {
            socket.getOutputStream().write(bytes);
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(back);
            } catch (SocketException reset) {
                // A reset instead of a FIN is a close too; what came before it counts.
            }
            return back.toString(StandardCharsets.US_ASCII);
        }
    }

    /**
     * A connection through the ClusterIP. Refused while kube-proxy has not yet programmed the pod that just turned
     * Ready (it rejects a Service without endpoints): such a connect reaches no pod, so it is simply tried again.
     */
    private static Socket connect(InetSocketAddress service) {
        AtomicReference<Socket> connected = new AtomicReference<>();
        await("a connection to " + service)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(ConnectException.class)
                .until(() -> {
                    Socket socket = new Socket();
                    try {
                        socket.connect(service, 5000);
                    } catch (IOException e) {
                        socket.close();
                        throw e;
                    }
                    socket.setSoTimeout(10_000);
                    connected.set(socket);
                    return true;
                });
        return connected.get();
    }

    /**
     * PROXY protocol v2 (haproxy's proxy-protocol.txt, section 2.2): the signature, version 2 and command
     * PROXY, TCP over IPv4, the 12 address bytes: source and destination address, then their ports.
     */
    private static byte[] v2Header(String source, int sourcePort, InetSocketAddress destination) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(V2_SIGNATURE.length + 4 + 12)
                .put(V2_SIGNATURE)
                .put((byte) 0x21)
                .put((byte) 0x11)
                .putShort((short) 12)
                .put(InetAddress.getByName(source).getAddress())
                .put(destination.getAddress().getAddress())
                .putShort((short) sourcePort)
                .putShort((short) destination.getPort());
        return header.array();
    }

    /** The log level of the pod's server, through the admin port, which takes it from loopback only: a port-forward. */
    private static void setLogLevel(Pod pod, String level) throws IOException, InterruptedException {
        try (LocalPortForward forward = client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .portForward(ADMIN_PORT)) {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + forward.getLocalPort() + "/debug/log-level"))
                                    .PUT(HttpRequest.BodyPublishers.ofString(level))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    /** The "connection closed" lines of the pod's log, as the API server serves it (kubectl logs). */
    private static List<JsonNode> closedConnections(Pod pod) throws IOException {
        String log = client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .getLog();
        List<JsonNode> closed = new ArrayList<>();
        for (String line : log.lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode entry = JSON.readTree(line);
            if (entry.path("message").asText().equals("connection closed")) {
                closed.add(entry);
            }
        }
        return closed;
    }

    /** The value of one series in a Prometheus text exposition; 0 when the series is not there yet. */
    private static double sample(String exposition, String series) {
        return exposition
                .lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(0);
    }

    private static Pod awaitReadyPod() {
        return await("the fleet's pod Ready on the real node")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                client
                                        .pods()
                                        .inNamespace(NAMESPACE)
                                        .withLabel("tcpfleet.io/service", NAME)
                                        .list()
                                        .getItems()
                                        .stream()
                                        .filter(p -> p.getStatus() != null
                                                && p.getStatus().getConditions().stream()
                                                        .anyMatch(c -> "Ready".equals(c.getType())
                                                                && "True".equals(c.getStatus())))
                                        .findFirst()
                                        .orElse(null),
                        p -> p != null);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }
}
