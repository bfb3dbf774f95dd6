package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server in a real pod, under the memory limit the operator sets and a read-only root
 * filesystem: it starts, the preStop JVM runs beside it without an OOM kill, and nothing but /tmp
 * is writable. Prints what it measured (start to Ready, RSS, the drain JVM's peak RSS and run
 * time, the container's peak memory): docs/bench/real-pods.md reports them.
 */
@ExtendWith(RealNode.Extension.class)
class PodFootprintE2E {

    private static final String NAME = "footprint";
    private static final String LIMIT = "256Mi";
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    @Test
    void serverAndItsPreStopJvmFitTheMemoryLimitOnAReadOnlyRoot(RealNode node) throws Exception {
        KubernetesClient client = node.client();
        node.tcpServices().apply(TcpServices.echo(NAME, 1, 7000, "1s", "2s", """
                  resources:
                    requests:
                      memory: 128Mi
                    limits:
                      memory: %s
                """.formatted(LIMIT)));
        Pod pod = await("a scheduled pod with an IP")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> pods(client).stream()
                                .filter(p -> p.getStatus().getPodIP() != null)
                                .findFirst(),
                        Optional::isPresent)
                .get();
        String ip = pod.getStatus().getPodIP();
        await("/health/ready answers 200")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> RealNode.httpStatus("http://" + ip + ":9090/health/ready") == 200);
        long readyAtTicks = uptimeTicks();
        long server = javaPid(pod, "tcpfleet-server.jar");
        Duration startToReady = Duration.ofMillis((readyAtTicks - startTicks(server)) * 1000 / CLOCK_TICKS_PER_SECOND);
        long serverRssKib = statusKib(server, "VmRSS");

        String pod0 = pod.getMetadata().getName();
        assertThat(pod.getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("memory"))
                .hasToString(LIMIT);
        Processes.Result write =
                node.kubectl().run("exec", "-n", RealNode.FLEETS, pod0, "--", "sh", "-c", "echo x > /opt/tcpfleet/x");
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
        node.kubectl().ok("exec", "-n", RealNode.FLEETS, pod0, "--", "sh", "-c", "echo x > /tmp/x");

        // The preStop command, run by hand: the drain JVM starts beside the server, the server
        // drains and exits 0, and the kubelet restarts the container.
        AtomicLong drainPeakKib = new AtomicLong();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> sampleDrainJvm(pod, drainPeakKib));
        long drainStart = System.nanoTime();
        String answer = node.kubectl().ok("exec", "-n", RealNode.FLEETS, pod0, "--", "/opt/tcpfleet/bin/drain");
        Duration drainRun = Duration.ofNanos(System.nanoTime() - drainStart);
        sampler.get();
        long containerPeakBytes = containerMaxUsage(pod);

        ContainerStatus restarted = await("the container restarted after its drain")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> client.pods()
                                .inNamespace(RealNode.FLEETS)
                                .withName(pod0)
                                .get()
                                .getStatus()
                                .getContainerStatuses()
                                .get(0),
                        s -> s.getRestartCount() >= 1 && s.getLastState().getTerminated() != null);
        String report = """
                server start (process start to /health/ready 200): %d ms
                server RSS when Ready and idle: %.1f MiB
                drain JVM: peak RSS %.1f MiB, kubectl exec of /opt/tcpfleet/bin/drain %d ms (drain.delay 1 s included)
                container memory peak (cgroup memory.max_usage_in_bytes, server + drain JVM): %.1f MiB of %s
                drain answer: %s""".formatted(
                        startToReady.toMillis(),
                        serverRssKib / 1024.0,
                        drainPeakKib.get() / 1024.0,
                        drainRun.toMillis(),
                        containerPeakBytes / 1048576.0,
                        LIMIT,
                        answer.strip());
        System.out.println(report);
        Files.writeString(Path.of("target", "real-pod-footprint.txt"), report);

        assertThat(answer).contains("\"forced\":0");
        assertThat(restarted.getLastState().getTerminated().getExitCode())
                .as(report)
                .isZero();
        assertThat(restarted.getLastState().getTerminated().getReason())
                .as(report)
                .isNotEqualTo("OOMKilled");
        assertThat(drainPeakKib.get()).as("the drain JVM was seen").isPositive();
        assertThat(containerPeakBytes).as(report).isLessThan(256L * 1024 * 1024);
    }

    private static List<Pod> pods(KubernetesClient client) {
        return client.pods()
                .inNamespace(RealNode.FLEETS)
                .withLabel("tcpfleet.io/service", NAME)
                .list()
                .getItems();
    }

    /** Samples the peak RSS of the drain JVM in this pod (found on the host's /proc) until it exits. */
    private static void sampleDrainJvm(Pod pod, AtomicLong peakKib) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long pid = -1;
        while (System.nanoTime() < deadline) {
            if (pid < 0) {
                pid = findJava(pod, "DrainClient").orElse(-1L);
            } else if (!Files.exists(Path.of("/proc/" + pid))) {
                return;
            } else {
                try {
                    peakKib.accumulateAndGet(statusKib(pid, "VmHWM"), Math::max);
                } catch (UncheckedIOException gone) {
                    return;
                }
            }
            try {
                // The sampling period: the drain JVM lives about a second.
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long javaPid(Pod pod, String marker) {
        return findJava(pod, marker)
                .orElseThrow(() -> new AssertionError("no java process with " + marker + " in the cgroup of pod "
                        + pod.getMetadata().getUid()));
    }

    /** A process of this pod (its cgroup path names the pod's UID) whose command line has marker. */
    private static Optional<Long> findJava(Pod pod, String marker) {
        String uid = pod.getMetadata().getUid().replace('-', '_');
        String uidDashes = pod.getMetadata().getUid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            String cmdline = Files.readString(p.resolve("cmdline"));
                            String cgroup = Files.readString(p.resolve("cgroup"));
                            return cmdline.contains(marker) && (cgroup.contains(uid) || cgroup.contains(uidDashes));
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long containerMaxUsage(Pod pod) throws IOException {
        String uid = pod.getMetadata().getUid();
        try (Stream<Path> dirs = Files.walk(Path.of("/sys/fs/cgroup/memory"), 4)) {
            Path podDir = dirs.filter(d -> d.getFileName().toString().equals("pod" + uid))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no memory cgroup of pod " + uid));
            return Long.parseLong(Files.readString(podDir.resolve("memory.max_usage_in_bytes"))
                    .strip());
        }
    }

    private static long statusKib(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Field 22 of /proc/PID/stat: start time in clock ticks after boot. */
    private static long startTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1)[19]);
    }

    private static long uptimeTicks() throws IOException {
        return (long)
                (Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ", -1)[0])
                        * CLOCK_TICKS_PER_SECOND);
    }
}
