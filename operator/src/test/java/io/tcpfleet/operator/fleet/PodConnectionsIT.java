package io.tcpfleet.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.tcpfleet.operator.it.ServerJar;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's scrape of real servers' admin ports, on loopback in place of pod IPs. */
class PodConnectionsIT {

    private static final int BUSY_CONNECTIONS = 7;

    @Test
    void readsEachAnsweringPodsActiveConnectionsAndLeavesOutThoseThatDoNotAnswer(@TempDir Path tmp) throws Exception {
        assertThat(ServerJar.JAR)
                .as("built by the server module (mvn package -pl server)")
                .exists();
        int busyPort = ServerJar.freePort();
        int busyAdmin = ServerJar.freePort();
        int emptyAdmin = ServerJar.freePort();
        Process busy = ServerJar.start(tmp.resolve("busy"), Map.of(), busyPort, busyAdmin);
        Process empty = ServerJar.start(tmp.resolve("empty"), Map.of(), ServerJar.freePort(), emptyAdmin);
        List<Socket> clients = new ArrayList<>();
        try {
            List<Pod> pods = List.of(
                    pod("busy", "127.0.0.1", busyAdmin),
                    pod("empty", "127.0.0.1", emptyAdmin),
                    pod("gone", "127.0.0.1", ServerJar.freePort()),
                    pod("unscheduled", null, 9090));
            PodConnections connections = new PodConnections();
            Awaitility.await("both servers answer")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> connections.read(pods).size() == 2);
            for (int i = 0; i < BUSY_CONNECTIONS; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), busyPort));
            }

            Awaitility.await("the busy server counts its clients")
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(connections.read(pods))
                            .isEqualTo(Map.of("busy", (long) BUSY_CONNECTIONS, "empty", 0L)));
        } finally {
            for (Socket c : clients) {
                c.close();
            }
            busy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            empty.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Pod pod(String name, String ip, int adminPort) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("apps")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(TcpServiceResources.CONTAINER_NAME)
                .addNewPort()
                .withName(TcpServiceResources.TCP_PORT_NAME)
                .withContainerPort(7000)
                .endPort()
                .addNewPort()
                .withName(TcpServiceResources.ADMIN_PORT_NAME)
                .withContainerPort(adminPort)
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP(ip)
                .endStatus()
                .build();
    }
}
