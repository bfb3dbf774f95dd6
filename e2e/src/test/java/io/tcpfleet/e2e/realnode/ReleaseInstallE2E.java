package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.images.ImageNames;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release as a user gets it: e2e/release/release.sh (make release) writes it into a temporary
 * directory from the images make images built, and the install reads nothing else: the checksums
 * verified, the image archives imported into the real node (there is no registry), the CRDs file
 * and tcpfleet.yaml applied, a TcpService Ready on real pods running the server image by digest.
 * Beside the other tests' operators, tcpfleet.yaml's objects move to their own namespace and watch
 * one namespace (as {@link RealNode} does with deploy/); the images and everything else are the
 * release's.
 */
@ExtendWith(ClusterExtension.class)
class ReleaseInstallE2E {

    private static final String SYSTEM = "tcpfleet-release-system";
    private static final String FLEETS = "tcpfleet-release";
    private static final String BINDING_PREFIX = "tcpfleet-release-";
    private static final String OPERATOR = "tcpfleet-operator";

    @TempDir
    static Path temp;

    @Test
    void aReleaseAloneInstallsTcpfleetOntoRealPods(KubernetesClient client) throws IOException {
        assertThat(client.nodes().withName(RealNode.NODE).get())
                .as("the real node %s (e2e/cluster/up.sh starts it as root)", RealNode.NODE)
                .isNotNull();
        // Earlier tests' operator process watches every namespace and would reconcile this fleet too,
        // with the server image by tag; the next test that needs it starts it again.
        OperatorUnderTest.stopShared();
        ImageNames images = ImageNames.load();
        String version = images.operator().substring(images.operator().lastIndexOf(':') + 1);
        Path dist = temp.resolve("dist");
        Processes.run(
                        List.of(
                                "bash",
                                RepoPaths.resolve("e2e/release/release.sh").toString(),
                                version,
                                dist.toString()),
                        Map.of(),
                        120)
                .requireSuccess();

        Processes.Result sums = Processes.run(List.of("bash", "-c", "cd '" + dist + "' && sha256sum -c SHA256SUMS"));
        assertThat(sums.exitCode()).as(sums.output()).isZero();
        assertThat(sums.stdout().lines())
                .as("every artifact checked")
                .containsExactlyInAnyOrder(
                        "tcpfleet.crds.yaml: OK",
                        "tcpfleet.yaml: OK",
                        "tcpfleet-" + version + ".tgz: OK",
                        "tcpfleet-server-" + version + ".tar: OK",
                        "tcpfleet-operator-" + version + ".tar: OK");

        RealNode.importImages(
                dist.resolve("tcpfleet-server-" + version + ".tar"),
                dist.resolve("tcpfleet-operator-" + version + ".tar"));

        Kubectl kubectl = InstalledBase.crds(dist.resolve("tcpfleet.crds.yaml"));
        for (String name : List.of(SYSTEM, FLEETS)) {
            client.namespaces().resource(RealNode.realNodeNamespace(name)).serverSideApply();
        }
        Path install = temp.resolve("tcpfleet-beside.yaml");
        Files.writeString(
                install,
                client.getKubernetesSerialization()
                        .asYaml(new KubernetesListBuilder()
                                .withItems(RealNode.beside(
                                        client,
                                        Files.readString(dist.resolve("tcpfleet.yaml")),
                                        SYSTEM,
                                        FLEETS,
                                        BINDING_PREFIX))
                                .build()));
        // --force-conflicts: other tests apply the same ClusterRoles with other field managers.
        kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", install.toString());

        kubectl.ok("-n", SYSTEM, "wait", "--for=condition=Available", "--timeout=180s", "deployment/" + OPERATOR);
        assertThat(podsImagesAndNodes(kubectl, SYSTEM, "app.kubernetes.io/name=" + OPERATOR))
                .as("operator pods on the real node, by digest")
                .allMatch(line -> line.matches(pinned(images.operator()) + " " + RealNode.NODE))
                .isNotEmpty();

        new TcpServices(client, FLEETS).apply(TcpServices.echo("echo", 1, 7000, "1s", "5s", ""));
        kubectl.ok("-n", FLEETS, "wait", "--for=condition=Ready", "--timeout=180s", "tcpservice/echo");
        assertThat(podsImagesAndNodes(kubectl, FLEETS, "tcpfleet.io/service=echo"))
                .as("the fleet's pod on the real node, the release's server image by digest")
                .singleElement()
                .matches(line -> line.matches(pinned(images.server()) + " " + RealNode.NODE));
    }

    /** A regular expression: the image's name, by digest rather than tag. */
    private static String pinned(String taggedImage) {
        return taggedImage.substring(0, taggedImage.lastIndexOf(':')).replace(".", "\\.") + "@sha256:[0-9a-f]{64}";
    }

    /** "image node" of each pod with the label. */
    private static List<String> podsImagesAndNodes(Kubectl kubectl, String namespace, String selector) {
        return kubectl.ok(
                        "-n",
                        namespace,
                        "get",
                        "pods",
                        "-l",
                        selector,
                        "-o",
                        "jsonpath={range .items[*]}{.spec.containers[0].image} {.spec.nodeName}{\"\\n\"}{end}")
                .lines()
                .toList();
    }

    @AfterAll
    static void uninstall() {
        Kubectl kubectl = Kubectl.admin();
        // The fleet first, while its operator still runs to let it go.
        kubectl.run("-n", FLEETS, "delete", "tcpservices", "--all", "--wait=true", "--timeout=60s");
        kubectl.run("delete", "clusterrolebinding", BINDING_PREFIX + OPERATOR, "--ignore-not-found");
        kubectl.run("delete", "namespace", FLEETS, SYSTEM, "--ignore-not-found", "--wait=false");
    }
}
