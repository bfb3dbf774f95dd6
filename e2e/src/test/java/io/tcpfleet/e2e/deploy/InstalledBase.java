package io.tcpfleet.e2e.deploy;

import io.tcpfleet.e2e.support.Kubectl;
import io.tcpfleet.e2e.support.RepoPaths;
import io.tcpfleet.testkit.LocalCluster;

/**
 * deploy/ applied to the local control plane, once per JVM, as a user installs it
 * ({@code kubectl apply --server-side -k deploy/}).
 *
 * <p>It stays installed afterwards: it is idempotent, make demo applies the same RBAC, and
 * deleting it would delete the CRDs and with them every TcpService of tests running beside us.
 */
final class InstalledBase {

    static final String NAMESPACE = "tcpfleet-system";
    static final String OPERATOR = "tcpfleet-operator";

    private static Kubectl admin;

    private InstalledBase() {
    }

    static synchronized Kubectl admin() {
        if (admin == null) {
            Kubectl kubectl = new Kubectl(LocalCluster.shared().kubeconfig());
            // --force-conflicts: other tests may have applied the same CRDs with another field manager.
            kubectl.ok("apply", "--server-side", "--force-conflicts", "-k", RepoPaths.resolve("deploy").toString());
            kubectl.ok("wait", "--for=condition=Established", "--timeout=60s", "crd/tcpservices.tcpfleet.io");
            admin = kubectl;
        }
        return admin;
    }
}
