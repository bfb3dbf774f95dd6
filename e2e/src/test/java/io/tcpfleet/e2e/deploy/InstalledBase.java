package io.tcpfleet.e2e.deploy;

import io.tcpfleet.e2e.support.Kubectl;
import io.tcpfleet.e2e.support.RepoPaths;
import io.tcpfleet.testkit.LocalCluster;

/**
 * crds/ and deploy/ applied to the local control plane, once per JVM, as a user installs them
 * ({@code kubectl apply --server-side -f crds/}, then {@code -k deploy/}).
 *
 * <p>It stays installed afterwards: it is idempotent, make demo applies the same RBAC, and
 * deleting it would delete the CRDs and with them every TcpService of tests running beside us.
 */
final class InstalledBase {

    static final String NAMESPACE = "tcpfleet-system";
    static final String OPERATOR = "tcpfleet-operator";

    private static Kubectl admin;

    private InstalledBase() {}

    static synchronized Kubectl admin() {
        if (admin == null) {
            Kubectl kubectl = new Kubectl(LocalCluster.shared().kubeconfig());
            // As the README installs it: the CRDs, then deploy/. --force-conflicts: other tests
            // apply the same objects with other field managers.
            kubectl.ok(
                    "apply",
                    "--server-side",
                    "--force-conflicts",
                    "-f",
                    RepoPaths.resolve("crds").toString());
            kubectl.ok("wait", "--for=condition=Established", "--timeout=60s", "crd/tcpservices.tcpfleet.io");
            kubectl.ok(
                    "apply",
                    "--server-side",
                    "--force-conflicts",
                    "-k",
                    RepoPaths.resolve("deploy").toString());
            admin = kubectl;
        }
        return admin;
    }
}
