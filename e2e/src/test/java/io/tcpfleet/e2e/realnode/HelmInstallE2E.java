package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.Helm;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * charts/tcpfleet installed, upgraded and uninstalled by the real helm on the local control plane,
 * with the operator's pods on the real node from the image make images built. It installs beside
 * the other tests' operators: its own namespaces, a clusterNamePrefix, one watched namespace, where
 * a TcpService becomes Ready on real pods.
 */
@ExtendWith(ClusterExtension.class)
class HelmInstallE2E {

    private static final String RELEASE = "tcpfleet-helm";
    private static final String SYSTEM = "tcpfleet-helm-system";
    private static final String FLEETS = "tcpfleet-helm";
    private static final String OPERATOR = "tcpfleet-operator";
    private static final String CRD = "crd/tcpservices.tcpfleet.io";

    @Test
    void installUpgradeAndUninstallKeepTheCrdAndTheFleets(KubernetesClient client) {
        assertThat(client.nodes().withName(RealNode.NODE).get())
                .as("the real node %s (e2e/cluster/up.sh starts it as root)", RealNode.NODE)
                .isNotNull();
        Kubectl kubectl = InstalledBase.crds();
        for (String name : List.of(SYSTEM, FLEETS)) {
            client.namespaces().resource(RealNode.realNodeNamespace(name)).serverSideApply();
        }

        // --force-conflicts: the other tests applied the same CRD with kubectl's server-side apply,
        // which owns its fields; Helm's own server-side apply of crds/ would conflict with it.
        helm(
                "install",
                "--force-conflicts",
                RELEASE,
                RepoPaths.resolve(Helm.CHART).toString(),
                "--set",
                "clusterNamePrefix=" + RELEASE + "-",
                "--set",
                "watchNamespaces={" + FLEETS + "}");

        kubectl.ok("-n", SYSTEM, "wait", "--for=condition=Available", "--timeout=180s", "deployment/" + OPERATOR);
        assertThat(kubectl.ok(
                        "-n",
                        SYSTEM,
                        "get",
                        "pods",
                        "-l",
                        "app.kubernetes.io/name=" + OPERATOR,
                        "-o",
                        "jsonpath={.items[*].spec.nodeName}"))
                .as("operator pods on the real node")
                .isEqualTo(RealNode.NODE + " " + RealNode.NODE);
        assertThat(kubectl.run("-n", SYSTEM, "get", "pdb", OPERATOR).exitCode()).isZero();

        // The operator Helm installed reconciles its watched namespace: a fleet Ready on real pods.
        new TcpServices(client, FLEETS).apply(TcpServices.echo("echo", 1, 7000, "1s", "5s", ""));
        kubectl.ok("-n", FLEETS, "wait", "--for=condition=Ready", "--timeout=180s", "tcpservice/echo");
        assertThat(kubectl.ok(
                        "-n",
                        FLEETS,
                        "get",
                        "pods",
                        "-l",
                        "tcpfleet.io/service=echo",
                        "-o",
                        "jsonpath={.items[*].spec.nodeName}"))
                .as("the fleet's pod on the real node")
                .isEqualTo(RealNode.NODE);

        helm(
                "upgrade",
                RELEASE,
                RepoPaths.resolve(Helm.CHART).toString(),
                "--reuse-values",
                "--set",
                "podDisruptionBudget.enabled=false");

        assertThat(kubectl.run("-n", SYSTEM, "get", "pdb", OPERATOR).exitCode())
                .as("the PDB the upgrade turned off")
                .isNotZero();

        helm("uninstall", RELEASE, "--wait", "--timeout", "120s");

        assertThat(kubectl.run("-n", SYSTEM, "get", "deployment", OPERATOR).exitCode())
                .as("the operator after uninstall")
                .isNotZero();
        assertThat(kubectl.run("get", "clusterrole", RELEASE + "-" + OPERATOR).exitCode())
                .as("its ClusterRole after uninstall")
                .isNotZero();
        assertThat(kubectl.run("get", CRD).exitCode())
                .as("the CRD after uninstall")
                .isZero();
        assertThat(kubectl.ok("get", CRD, "-o", "jsonpath={.metadata.annotations.helm\\.sh/resource-policy}"))
                .as("the CRD's Helm resource policy")
                .isEqualTo("keep");
        assertThat(kubectl.run("-n", FLEETS, "get", "tcpservice/echo").exitCode())
                .as("the TcpService after uninstall")
                .isZero();
        assertThat(kubectl.ok("-n", FLEETS, "get", "deployment", "echo", "-o", "jsonpath={.status.readyReplicas}"))
                .as("its fleet after uninstall, still serving")
                .isEqualTo("1");
    }

    @AfterAll
    static void removeWhatIsLeft() {
        Helm.run(withCluster("uninstall", RELEASE, "--ignore-not-found"));
        Kubectl kubectl = Kubectl.admin();
        kubectl.run("delete", "namespace", SYSTEM, FLEETS, "--ignore-not-found", "--wait=false");
    }

    private static void helm(String... args) {
        Processes.Result result = Helm.run(withCluster(args));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static List<String> withCluster(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(
                List.of("--kubeconfig", LocalCluster.shared().kubeconfig().toString(), "--namespace", SYSTEM));
        return command;
    }
}
