package io.tcpfleet.e2e.support;

import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.RepoPaths;
import java.nio.file.Path;

/**
 * crds/ and deploy/ applied to the local control plane as a user installs them ({@code kubectl
 * apply --server-side -f crds/}, then {@code -k deploy/}). {@code --force-conflicts}: other tests
 * apply the same objects with other field managers.
 *
 * <p>It stays installed afterwards: it is idempotent, make demo applies the same RBAC, and
 * deleting it would delete the CRDs and with them every TcpService of tests running beside us.
 */
public final class InstalledBase {

    public static final String NAMESPACE = "tcpfleet-system";
    public static final String OPERATOR = "tcpfleet-operator";

    private static Kubectl admin;

    private InstalledBase() {}

    /** The CRDs of crds/, established; returns the admin's kubectl. */
    public static Kubectl crds() {
        return crds(RepoPaths.resolve("crds"));
    }

    /**
     * The CRDs in {@code crds} (a file or a directory), established; returns the admin's kubectl.
     * --force-conflicts: other tests apply the same CRD with other field managers.
     */
    public static Kubectl crds(Path crds) {
        Kubectl kubectl = Kubectl.admin();
        kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", crds.toString());
        kubectl.ok("wait", "--for=condition=Established", "--timeout=60s", "crd/tcpservices.tcpfleet.io");
        return kubectl;
    }

    /** The CRDs and deploy/ (once per JVM); returns the admin's kubectl. */
    public static synchronized Kubectl admin() {
        if (admin == null) {
            Kubectl kubectl = crds();
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
