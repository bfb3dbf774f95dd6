package io.tcpfleet.e2e.rollout;

import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.RepoPaths;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged operator against the local control plane for the rollout and reliability tests: its
 * Lease in a namespace of its own so operators of other tests do not hold it, the CRD from crds/ as
 * a user installs it. One shared per JVM, or one of a test's own.
 */
public final class OperatorUnderTest {

    public static final String LEASE_NAMESPACE = "tcpfleet-e2e-reliability";
    /** Where each started operator writes its log, operator-N.log. */
    public static final Path LOG_DIR = RepoPaths.resolve("e2e/target/reliability");

    private static final AtomicInteger STARTS = new AtomicInteger();
    private static OperatorProcess shared;

    private OperatorUnderTest() {}

    /** The operator for this JVM, started on first use (the CRD applied first). */
    public static synchronized OperatorProcess shared() {
        if (shared == null || !shared.isAlive()) {
            installCrd();
            shared = start(LocalCluster.shared().kubeconfig(), LEASE_NAMESPACE, null);
            Runtime.getRuntime().addShutdownHook(new Thread(OperatorUnderTest::stopShared));
        }
        return shared;
    }

    public static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** kill -9 of the shared operator, as a crashed pod. */
    public static synchronized void crashShared() {
        if (shared != null) {
            shared.kill();
            shared = null;
        }
    }

    public static void installCrd() {
        InstalledBase.crds().run("create", "namespace", LEASE_NAMESPACE); // already there on the second run: fine
    }

    /**
     * An operator of its own (close it when done): talking to the API server of {@code kubeconfig},
     * its Lease in {@code leaseNamespace}, watching only {@code watchNamespace} (all when null).
     */
    public static OperatorProcess start(Path kubeconfig, String leaseNamespace, String watchNamespace) {
        Map<String, String> env = new HashMap<>();
        if (watchNamespace != null) {
            env.put("QUARKUS_OPERATOR_SDK_CONTROLLERS_TCPSERVICE_NAMESPACES", watchNamespace);
        }
        return OperatorProcess.start(
                LOG_DIR.resolve("operator-" + STARTS.incrementAndGet() + ".log"),
                kubeconfig,
                Map.of("tcpfleet.operator.namespace", leaseNamespace),
                env);
    }
}
