package io.tcpfleet.testkit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes cluster tests run against: either the local control plane of {@code e2e/cluster}
 * (brought up once per JVM by {@code e2e/cluster/up.sh}, which reuses a running one), or the
 * cluster whose kubeconfig the environment variable {@value #KUBECONFIG_ENV} names.
 *
 * <p>A shared cluster is never torn down from here: other test JVMs may be using it. {@code
 * e2e/cluster/down.sh} (or {@code make cluster-down}) stops it.
 */
public final class LocalCluster {

    /** Names the kubeconfig of an existing cluster to use instead of starting the local one. */
    public static final String KUBECONFIG_ENV = "TCPFLEET_TEST_KUBECONFIG";

    static final Path UP_SCRIPT = Path.of("e2e", "cluster", "up.sh");
    private static final long UP_TIMEOUT_MINUTES = 5;

    private static LocalCluster shared;

    private final Path kubeconfig;

    private LocalCluster(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** The cluster for this JVM; the first call starts the local control plane when needed. */
    public static synchronized LocalCluster shared() {
        if (shared == null) {
            shared = new LocalCluster(resolveKubeconfig());
        }
        return shared;
    }

    /** Path of the admin kubeconfig. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A new fabric8 client with admin rights on this cluster; the caller closes it. */
    public KubernetesClient newClient() {
        try {
            String content = Files.readString(kubeconfig);
            return new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(content))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
        }
    }

    private static Path resolveKubeconfig() {
        String fromEnv = System.getenv(KUBECONFIG_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path path = Path.of(fromEnv);
            if (!Files.isReadable(path)) {
                throw new IllegalStateException(KUBECONFIG_ENV + "=" + fromEnv + ": no readable file there");
            }
            return path;
        }
        return runUpScript(findUpScript(Path.of("").toAbsolutePath()));
    }

    /** Walks up from {@code start} to the checkout that holds {@code e2e/cluster/up.sh}. */
    static Path findUpScript(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(UP_SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + UP_SCRIPT + " in " + start + " or any parent; set " + KUBECONFIG_ENV
                + " to use an existing cluster");
    }

    private static Path runUpScript(Path upScript) {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", upScript.toString()))
                .directory(upScript.getParent().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // up.sh prints only the kubeconfig path on stdout; its progress goes to stderr.
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(UP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroy();
                throw new IllegalStateException(upScript + " did not finish in " + UP_TIMEOUT_MINUTES + " min");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        upScript + " failed with exit " + process.exitValue() + " (its errors are above)");
            }
            List<String> lines = out.lines().filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new IllegalStateException(upScript + " printed no kubeconfig path");
            }
            return Path.of(lines.get(lines.size() - 1).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + upScript, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + upScript, e);
        }
    }
}
