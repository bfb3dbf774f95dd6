package io.tcpfleet.operator.it;

import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator these tests share, one at a time per JVM: the packaged operator against the local
 * control plane, every request as its ServiceAccount so the committed RBAC is what is tested. Not
 * in the testkit: it installs the CRD and RBAC with {@link TestCluster} and {@link OperatorRbac}.
 */
final class SharedOperator {

    static final String TEST_IMAGE = "tcpfleet/tcpfleet-server:it";
    private static final AtomicInteger STARTS = new AtomicInteger();
    private static OperatorProcess shared;
    private static boolean hookInstalled;
    /** Whether the last stopped operator exited by itself on SIGTERM (instead of being killed). */
    static volatile boolean lastStopWasClean;

    private SharedOperator() {}

    /** The running operator for this JVM, started (with the CRD installed) on first use. */
    static synchronized OperatorProcess shared() {
        if (shared == null || !shared.isAlive()) {
            TestCluster.installTcpServiceCrd();
            OperatorRbac.install();
            shared = start();
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedOperator::stop));
                hookInstalled = true;
            }
        }
        return shared;
    }

    /** Stops the shared operator, runs the given step while none runs, and starts a fresh one. */
    static synchronized OperatorProcess restart(Runnable whileStopped) {
        stop();
        whileStopped.run();
        return shared();
    }

    static synchronized void stop() {
        if (shared != null) {
            lastStopWasClean = shared.stop();
            shared = null;
        }
    }

    private static OperatorProcess start() {
        return OperatorProcess.start(
                Path.of("target", "operator-it-" + STARTS.incrementAndGet() + ".log"),
                LocalCluster.shared().kubeconfig(),
                Map.of(
                        // The Lease of leader election lives in the operator's namespace, as in a pod.
                        "quarkus.kubernetes-client.namespace", OperatorRbac.NAMESPACE,
                        "kubernetes.impersonate.username", OperatorRbac.USER,
                        "tcpfleet.operator.server-image", TEST_IMAGE),
                Map.of());
    }
}
