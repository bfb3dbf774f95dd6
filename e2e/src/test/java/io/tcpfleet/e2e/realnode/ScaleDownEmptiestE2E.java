package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.TcpServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scaling a TcpService down through its scale subresource, as an HPA or KEDA does, removes the pods holding the
 * fewest connections. The connections go straight to the pods' addresses, so each pod's count is what the test
 * chose: the newest pods get the most, since the ReplicaSet controller on its own deletes the newest first.
 */
@ExtendWith(RealNode.Extension.class)
class ScaleDownEmptiestE2E {

    private static final String NAME = "emptiest";
    private static final String COST = "controller.kubernetes.io/pod-deletion-cost";
    private static final String WRITTEN = "tcpfleet.io/pod-deletion-cost";
    private static final String USERS_COST = "1000000";
    private static final int PER_RANK = 10;

    @Test
    void scaleDownRemovesTheEmptiestPodsWhileTheBusyOnesKeepEchoing(RealNode node) throws Exception {
        KubernetesClient client = node.client();
        node.tcpServices().apply(TcpServices.echo(NAME, 6, 7000, "2s", "5s", """
                  resources:
                    limits:
                      memory: 256Mi
                """));
        List<Pod> oldestFirst = await("6 Ready pods")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> RealNode.readyFleetPods(client, NAME), pods -> pods.size() == 6);
        oldestFirst = oldestFirst.stream()
                .sorted(Comparator.comparing(ScaleDownEmptiestE2E::readySince)
                        .thenComparing(p -> p.getMetadata().getCreationTimestamp())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();

        // 0, 10, ... 50 connections, the newest pod busiest; the busiest also carries a user's own cost.
        Map<String, List<Socket>> connections = new LinkedHashMap<>();
        try {
            for (int rank = 0; rank < oldestFirst.size(); rank++) {
                Pod pod = oldestFirst.get(rank);
                List<Socket> sockets = new ArrayList<>();
                connections.put(pod.getMetadata().getName(), sockets);
                for (int i = 0; i < rank * PER_RANK; i++) {
                    sockets.add(echoed(new Socket(pod.getStatus().getPodIP(), 7000), "connection " + i));
                }
            }
            String busiest = oldestFirst.get(5).getMetadata().getName();
            node.kubectl().ok("-n", RealNode.FLEETS, "annotate", "pod", busiest, COST + "=" + USERS_COST);

            node.kubectl().ok("-n", RealNode.FLEETS, "scale", "tcpservice/" + NAME, "--replicas=3");

            List<Pod> kept = await("3 pods left")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> RealNode.fleetPods(client, NAME), pods -> pods.size() == 3);
            Map<String, Integer> counts = connections.entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().size()));
            assertThat(kept)
                    .extracting(p -> counts.get(p.getMetadata().getName()))
                    .as("connections of the pods left, of " + counts)
                    .containsExactlyInAnyOrder(3 * PER_RANK, 4 * PER_RANK, 5 * PER_RANK);
            for (Pod pod : kept) {
                Map<String, String> annotations = pod.getMetadata().getAnnotations();
                if (pod.getMetadata().getName().equals(busiest)) {
                    assertThat(annotations)
                            .as("the user's own cost")
                            .containsEntry(COST, USERS_COST)
                            .doesNotContainKey(WRITTEN);
                } else {
                    String count = String.valueOf(
                            connections.get(pod.getMetadata().getName()).size());
                    assertThat(annotations).containsEntry(COST, count).containsEntry(WRITTEN, count);
                }
            }
            // Every connection of the pods left still echoes, byte for byte.
            for (Pod pod : kept) {
                for (Socket s : connections.get(pod.getMetadata().getName())) {
                    echoed(s, "after the scale-down");
                }
            }
        } finally {
            for (List<Socket> sockets : connections.values()) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static String readySince(Pod pod) {
        return pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getLastTransitionTime())
                .findFirst()
                .orElseThrow();
    }

    /** Sends a line and reads the same bytes back: the connection works end to end. */
    private static Socket echoed(Socket socket, String line) throws IOException {
        byte[] sent = (line + "\n").getBytes(StandardCharsets.UTF_8);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(sent);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] back = in.readNBytes(sent.length);
        assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo(new String(sent, StandardCharsets.UTF_8));
        return socket;
    }
}
