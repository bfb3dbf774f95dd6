package io.tcpfleet.e2e.reliability;

import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A second kube-apiserver of the local control plane (same etcd, certificates and flags as the one
 * e2e/cluster/up.sh started, another port), as in an HA control plane. It can be stopped and started
 * without disturbing the shared one that every other test on this machine talks to: the cluster
 * scripts cannot restart the apiserver alone (a down component makes up.sh re-create the cluster).
 */
final class PrivateApiServer implements AutoCloseable {

    private final List<String> command;
    private final Path kubeconfig;
    private final Path log;
    private Process process;

    private PrivateApiServer(List<String> command, Path kubeconfig, Path log) {
        this.command = command;
        this.kubeconfig = kubeconfig;
        this.log = log;
    }

    /** Starts one beside the shared control plane and waits for /readyz. */
    static PrivateApiServer startBeside() {
        Path state = RepoPaths.resolve("e2e/cluster/.state");
        Path pidFile = state.resolve("pids/kube-apiserver.pid");
        if (System.getenv(LocalCluster.KUBECONFIG_ENV) != null || !Files.isReadable(pidFile)) {
            throw new IllegalStateException("a second kube-apiserver needs the local control plane of e2e/cluster"
                    + " (its pid file " + pidFile + "), not an external cluster");
        }
        try {
            String pid = Files.readString(pidFile).strip();
            List<String> shared =
                    Arrays.asList(Files.readString(Path.of("/proc", pid, "cmdline"), StandardCharsets.UTF_8)
                            .split("\0"));
            int port = Loopback.freePort();
            List<String> mine = new ArrayList<>();
            String sharedPort = null;
            for (String arg : shared) {
                if (arg.startsWith("--secure-port=")) {
                    sharedPort = arg.substring("--secure-port=".length());
                    arg = "--secure-port=" + port;
                }
                mine.add(arg);
            }
            Path dir = RepoPaths.resolve("e2e/target/reliability/apiserver");
            Files.createDirectories(dir);
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(
                    kubeconfig,
                    Files.readString(LocalCluster.shared().kubeconfig())
                            .replace("https://127.0.0.1:" + sharedPort, "https://127.0.0.1:" + port));
            PrivateApiServer api =
                    new PrivateApiServer(List.copyOf(mine), kubeconfig, dir.resolve("kube-apiserver.log"));
            api.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** SIGTERM, wait for the exit, run {@code whileDown}, start again on the same port and wait for /readyz. */
    void restart(Runnable whileDown) {
        stop();
        whileDown.run();
        start();
    }

    private void start() {
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kubectl kubectl = new Kubectl(kubeconfig);
        Awaitility.await("private kube-apiserver /readyz (" + log + ")")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "kube-apiserver exited " + process.exitValue() + ", see " + log);
                    }
                    return "ok"
                            .equals(kubectl.run("get", "--raw", "/readyz")
                                    .stdout()
                                    .strip());
                });
    }

    private void stop() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
