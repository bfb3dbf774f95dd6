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
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl delete pod} of a real pod holding long-lived connections: the kubelet runs the
 * preStop hook (/opt/tcpfleet/bin/drain, a second JVM in the container), and the server drains as
 * the contract says. Connections go straight to the pod's address, so that they are this pod's.
 */
@ExtendWith(RealNode.Extension.class)
class PodDeletionDrainE2E {

    private static final String NAME = "drain";
    private static final Duration DELAY = Duration.ofSeconds(6);
    private static final Duration TIMEOUT = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    @Test
    void deletedPodDrainsItsConnectionsAndIsGoneWithinItsGracePeriod(RealNode node) throws Exception {
        KubernetesClient client = node.client();
        node.tcpServices()
                .apply(TcpServices.echo(NAME, 1, 7000, DELAY.toSeconds() + "s", TIMEOUT.toSeconds() + "s", ""));
        Pod pod = await("a Ready pod")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> readyPod(client), p -> p != null);
        String ip = pod.getStatus().getPodIP();
        long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        Path log = dir.resolve("server.log");
        Process logs = new ProcessBuilder(node.kubectl()
                        .command(
                                "logs",
                                "-f",
                                "-n",
                                RealNode.FLEETS,
                                pod.getMetadata().getName()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            idle.add(echoed(new Socket(ip, 7000), "idle " + i));
        }
        Socket busy = echoed(new Socket(ip, 7000), "busy");
        CompletableFuture<Long> busyClosedAfter = CompletableFuture.supplyAsync(() -> keepBusy(busy));
        List<CompletableFuture<Long>> idleClosedAfter = idle.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> millisUntilClosed(s)))
                .toList();

        long deleted = System.nanoTime();
        client.pods()
                .inNamespace(RealNode.FLEETS)
                .withName(pod.getMetadata().getName())
                .delete();

        await("readiness turns 503")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> RealNode.httpStatus("http://" + ip + ":9090/health/ready") == 503);
        Socket late = echoed(new Socket(ip, 7000), "accepted during drain.delay");
        assertThat(elapsed(deleted)).as("connected within drain.delay").isLessThan(DELAY);
        late.close();

        await("pod gone")
                .atMost(Duration.ofSeconds(grace + 30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.pods()
                                .inNamespace(RealNode.FLEETS)
                                .withName(pod.getMetadata().getName())
                                .get()
                        == null);
        Duration gone = elapsed(deleted);
        logs.waitFor();

        for (CompletableFuture<Long> closed : idleClosedAfter) {
            assertThat(closed.get())
                    .as("idle connection closed in order (FIN) after drain.delay, ms")
                    .isBetween(DELAY.toMillis() - 500, DELAY.toMillis() + TIMEOUT.toMillis());
        }
        assertThat(busyClosedAfter.get())
                .as("busy connection force-closed at drain.delay + drain.timeout, ms")
                .isBetween(
                        DELAY.plus(TIMEOUT).toMillis() - 1000,
                        DELAY.plus(TIMEOUT).toMillis() + 5000);
        assertThat(gone)
                .as("pod gone within terminationGracePeriodSeconds " + grace)
                .isLessThan(Duration.ofSeconds(grace));
        assertThat(Files.readString(log))
                .contains(
                        "drain started",
                        "drain closed the listener",
                        "drain timeout reached, force-closing",
                        "drain finished");
        assertThat(client.v1()
                        .events()
                        .inNamespace(RealNode.FLEETS)
                        .withField("involvedObject.name", pod.getMetadata().getName())
                        .list()
                        .getItems())
                .as("the kubelet saw the preStop hook exit 0")
                .noneMatch(e -> "FailedPreStopHook".equals(e.getReason()));
    }

    private static Pod readyPod(KubernetesClient client) {
        return RealNode.readyFleetPods(client, NAME).stream().findFirst().orElse(null);
    }

    private static Socket echoed(Socket socket, String line) throws IOException {
        socket.setSoTimeout(30_000);
        byte[] sent = (line + "\n").getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        assertThat(socket.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
        return socket;
    }

    /** Waits for the server to close an idle connection: -1 from read is an orderly close. */
    private static long millisUntilClosed(Socket socket) {
        long start = System.nanoTime();
        try (socket) {
            int read = socket.getInputStream().read();
            assertThat(read).as("orderly close, no data").isEqualTo(-1);
            return elapsed(start).toMillis();
        } catch (IOException e) {
            throw new AssertionError("idle connection broken instead of closed: " + e, e);
        }
    }

    /** Sends a line every 200 ms (never idle for the drain's quiet time) until the server closes. */
    private static long keepBusy(Socket socket) {
        long start = System.nanoTime();
        try (socket) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] line = "still here\n".getBytes(StandardCharsets.UTF_8);
            while (true) {
                out.write(line);
                if (in.readNBytes(line.length).length < line.length) {
                    return elapsed(start).toMillis();
                }
                Thread.sleep(200); // the client's pace, under the drain's 1 s quiet time
            }
        } catch (SocketException e) {
            return elapsed(start).toMillis();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Duration elapsed(long sinceNanos) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos);
    }
}
