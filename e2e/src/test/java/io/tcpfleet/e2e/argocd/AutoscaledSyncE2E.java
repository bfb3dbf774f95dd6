package io.tcpfleet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.Manifests;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/autoscaling under Argo CD's sync as examples/argocd/autoscaled.yaml configures it, on
 * the real API server and the real HPA controller of kube-controller-manager: the HPA scales the
 * TcpService through its scale subresource, and a sync does not take the size back.
 *
 * <p>What Argo CD sends is reproduced, not run: a server-side apply with force by its field manager
 * {@code argocd-controller}, of the git manifest with spec.replicas left out or (what
 * RespectIgnoreDifferences does) replaced by the live value. That Argo CD itself shows the
 * Application Synced and leaves the size alone needs a real Argo CD. The local cluster has no
 * metrics API, so the HPA's floor (minReplicas 4, above git's 2) stands in for load.
 */
@ExtendWith(ClusterExtension.class)
class AutoscaledSyncE2E {

    private static final String NAME = "echo-autoscaled";
    private static final String ARGOCD_MANAGER = "argocd-controller";
    private static final int GIT_REPLICAS = 2;
    private static final int HPA_FLOOR = 4;

    @TempDir
    Path dir;

    @Test
    void hpaScalesThroughTheScaleSubresourceAndSyncsWithoutReplicasKeepItsSize(TestNamespace namespace)
            throws IOException {
        Kubectl kubectl = InstalledBase.crds();
        String ns = namespace.name();
        Manifests git =
                Manifests.parse(Files.readString(RepoPaths.resolve("examples/autoscaling/echo-autoscaled.yaml")));
        JsonNode service = git.get("TcpService", NAME);
        ObjectNode hpa = (ObjectNode) git.get("HorizontalPodAutoscaler", NAME).deepCopy();
        ((ObjectNode) hpa.path("spec")).put("minReplicas", HPA_FLOOR);
        assertThat(service.at("/spec/replicas").asInt()).isEqualTo(GIT_REPLICAS);

        // First sync: no live object, Argo CD applies git as it is.
        sync(kubectl, ns, service);
        sync(kubectl, ns, hpa);
        awaitReplicas(kubectl, ns, HPA_FLOOR, "the HPA scales the TcpService to its floor");
        assertThat(replicasManagers(kubectl, ns))
                .as("owners of spec.replicas after the HPA wrote it through /scale")
                .singleElement()
                .asString()
                .endsWith("/scale")
                .doesNotStartWith(ARGOCD_MANAGER);

        // Sync with spec.replicas ignored: git's manifest without the field, then with the live
        // value in it (RespectIgnoreDifferences). Neither may change the size.
        String generation = field(kubectl, ns, "{.metadata.generation}");
        ObjectNode withoutReplicas = service.deepCopy();
        ((ObjectNode) withoutReplicas.path("spec")).remove("replicas");
        sync(kubectl, ns, withoutReplicas);
        assertThat(replicas(kubectl, ns))
                .as("after a sync without spec.replicas")
                .isEqualTo(HPA_FLOOR);
        ObjectNode withLiveReplicas = service.deepCopy();
        ((ObjectNode) withLiveReplicas.path("spec")).put("replicas", replicas(kubectl, ns));
        sync(kubectl, ns, withLiveReplicas);
        assertThat(replicas(kubectl, ns))
                .as("after a sync with the live spec.replicas")
                .isEqualTo(HPA_FLOOR);
        assertThat(field(kubectl, ns, "{.metadata.generation}"))
                .as("no sync changed the spec")
                .isEqualTo(generation);

        // Any scaler through /scale (kubectl scale, KEDA, a custom autoscaler), with the HPA gone:
        // the next sync keeps its size too.
        kubectl.ok("-n", ns, "delete", "hpa", NAME);
        kubectl.ok("-n", ns, "scale", "tcpservice/" + NAME, "--replicas=6");
        sync(kubectl, ns, withoutReplicas);
        assertThat(replicas(kubectl, ns)).as("after kubectl scale and a sync").isEqualTo(6);

        // Without ignoreDifferences a sync sends git's spec.replicas and takes the size back:
        // the fight this Application avoids (self-heal would repeat it after every scale).
        sync(kubectl, ns, service);
        assertThat(replicas(kubectl, ns)).as("after a sync of git as it is").isEqualTo(GIT_REPLICAS);
    }

    /** A sync of one object as Argo CD's ServerSideApply=true does it. */
    private void sync(Kubectl kubectl, String ns, JsonNode object) throws IOException {
        Path file = Files.createTempFile(dir, "sync", ".json");
        Files.writeString(file, object.toString());
        kubectl.ok(
                "apply",
                "--server-side",
                "--force-conflicts",
                "--field-manager=" + ARGOCD_MANAGER,
                "-n",
                ns,
                "-f",
                file.toString());
    }

    private static void awaitReplicas(Kubectl kubectl, String ns, int expected, String what) {
        // The HPA controller looks at each HPA every 15 s.
        await(what)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> replicas(kubectl, ns) == expected);
    }

    private static int replicas(Kubectl kubectl, String ns) {
        return Integer.parseInt(field(kubectl, ns, "{.spec.replicas}"));
    }

    /** The field managers that own spec.replicas. */
    private static List<String> replicasManagers(Kubectl kubectl, String ns) {
        JsonNode live = Manifests.parse(
                        kubectl.ok("-n", ns, "get", "tcpservice", NAME, "--show-managed-fields", "-o", "json"))
                .get("TcpService", NAME);
        List<String> managers = new ArrayList<>();
        for (JsonNode entry : live.at("/metadata/managedFields")) {
            if (entry.at("/fieldsV1/f:spec").has("f:replicas")) {
                managers.add(entry.path("manager").asText() + "/"
                        + entry.path("subresource").asText(""));
            }
        }
        return managers;
    }

    private static String field(Kubectl kubectl, String ns, String jsonPath) {
        return kubectl.ok("-n", ns, "get", "tcpservice", NAME, "-o", "jsonpath=" + jsonPath);
    }
}
