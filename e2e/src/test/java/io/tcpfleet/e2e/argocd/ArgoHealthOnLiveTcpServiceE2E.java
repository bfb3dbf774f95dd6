package io.tcpfleet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD health script on TcpServices as the real operator writes them: every state on the
 * way (apply, then a spec change) is one Argo CD can show, never Degraded, and it ends Healthy.
 */
@ExtendWith(ClusterExtension.class)
class ArgoHealthOnLiveTcpServiceE2E {

    private static final List<String> PASSING = List.of("Progressing", "Healthy");

    @TempDir
    Path dir;

    @Test
    void echoIsProgressingThenHealthyAndProgressingAgainAfterASpecChange(
            KubernetesClient client, TestNamespace namespace) {
        Kubectl kubectl = InstalledBase.admin();
        NamespacedOperator.allowLeaseIn(client, namespace.name());
        String ns = namespace.name();

        try (OperatorProcess operator =
                NamespacedOperator.start("argo-health", NamespacedOperator.kubeconfig(kubectl, dir), ns)) {
            kubectl.ok(
                    "apply",
                    "--server-side",
                    "-n",
                    ns,
                    "-f",
                    RepoPaths.resolve("examples/echo.yaml").toString());
            List<ArgoHealth.Health> rollout = untilHealthy(kubectl, ns);

            kubectl.ok(
                    "patch",
                    "tcps",
                    "echo",
                    "-n",
                    ns,
                    "--type=merge",
                    "-p",
                    "{\"spec\":{\"connections\":{\"idleTimeout\":\"2m\"}}}");
            ArgoHealth.Health rightAfterPatch = health(kubectl, ns);
            List<ArgoHealth.Health> change = untilHealthy(kubectl, ns);

            assertThat(rollout.get(0).status())
                    .as("before the operator wrote status: " + rollout)
                    .isEqualTo("Progressing");
            assertThat(rollout).extracting(ArgoHealth.Health::status).isSubsetOf(PASSING);
            assertThat(change).extracting(ArgoHealth.Health::status).isSubsetOf(PASSING);
            assertThat(rightAfterPatch.status()).as(rightAfterPatch.message()).isIn(PASSING);
        }
    }

    /** Polls the health until Healthy; returns every health seen, the first taken at once. */
    private List<ArgoHealth.Health> untilHealthy(Kubectl kubectl, String ns) {
        List<ArgoHealth.Health> seen = new ArrayList<>();
        seen.add(health(kubectl, ns));
        await("Argo CD health of " + ns + "/echo turns Healthy; seen " + seen)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    seen.add(health(kubectl, ns));
                    return seen.get(seen.size() - 1).status().equals("Healthy");
                });
        return seen;
    }

    private ArgoHealth.Health health(Kubectl kubectl, String ns) {
        try {
            Path object = Files.createTempFile(dir, "echo", ".json");
            Files.writeString(object, kubectl.ok("get", "tcps", "echo", "-n", ns, "-o", "json"));
            return ArgoHealth.of(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
