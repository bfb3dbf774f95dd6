package io.tcpfleet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's argocd-cm command, run against a real API server on an existing argocd-cm. */
@ExtendWith(ClusterExtension.class)
class ArgoConfigMapPatchE2E {

    private static final String KEY = "resource.customizations.health.tcpfleet.io_TcpService";

    @Test
    void patchAddsTheHealthCheckAndKeepsTheOtherSettings(TestNamespace namespace) throws IOException {
        Kubectl kubectl = Kubectl.admin();
        kubectl.ok(
                "create",
                "configmap",
                "argocd-cm",
                "-n",
                namespace.name(),
                "--from-literal=url=https://argocd.example.com");

        kubectl.ok(
                "-n",
                namespace.name(),
                "patch",
                "configmap",
                "argocd-cm",
                "--type",
                "merge",
                "--patch-file",
                RepoPaths.resolve("deploy/argocd/argocd-cm-patch.yaml").toString());

        String script = kubectl.ok(
                "get",
                "configmap",
                "argocd-cm",
                "-n",
                namespace.name(),
                "-o",
                "jsonpath={.data." + KEY.replace(".", "\\.") + "}");
        String url = kubectl.ok("get", "configmap", "argocd-cm", "-n", namespace.name(), "-o", "jsonpath={.data.url}");
        assertThat(script).isEqualTo(Files.readString(ArgoHealth.SCRIPT));
        assertThat(url).isEqualTo("https://argocd.example.com");
    }
}
