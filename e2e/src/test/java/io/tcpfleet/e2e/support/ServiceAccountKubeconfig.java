package io.tcpfleet.e2e.support;

import io.tcpfleet.testkit.Kubectl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubeconfig that authenticates only with a ServiceAccount's TokenRequest token (no client
 * certificate beside it, which the API server would prefer), for the same cluster as admin.
 */
public final class ServiceAccountKubeconfig {

    private ServiceAccountKubeconfig() {}

    public static Path write(Kubectl admin, String namespace, String account, Path dir) {
        String token = admin.ok("create", "token", account, "-n", namespace, "--duration=1h")
                .trim();
        String server = admin.ok("config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
        String ca = admin.ok(
                "config",
                "view",
                "--raw",
                "--minify",
                "--flatten",
                "-o",
                "jsonpath={.clusters[0].cluster.certificate-authority-data}");
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: local
                    cluster:
                      server: %s
                      certificate-authority-data: %s
                users:
                  - name: %s
                    user:
                      token: %s
                contexts:
                  - name: sa
                    context:
                      cluster: local
                      user: %s
                      namespace: %s
                current-context: sa
                """.formatted(server, ca, account, token, account, namespace);
        try {
            Path file = dir.resolve(namespace + "-" + account + ".kubeconfig");
            Files.writeString(file, kubeconfig);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
