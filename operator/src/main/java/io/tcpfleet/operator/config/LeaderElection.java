package io.tcpfleet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * One Lease in the operator's own namespace: a second replica waits instead of reconciling twice.
 * Not a bean itself: {@link LeaderElectionSwitch} produces it unless leader election is turned off.
 */
@SuppressWarnings("removal") // JOSDK's builder fixes exitOnStopLeading when built; we decide it when the lease is lost
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE_NAME = "tcpfleet-operator-lease";

    LeaderElection(String namespace) {
        super(LEASE_NAME, namespace);
    }

    /**
     * Losing the lease while running exits the process, so Kubernetes restarts it as a follower.
     * But JOSDK also "stops leading" while the JVM shuts down (SIGTERM), and System.exit from a
     * shutdown hook blocks forever: the pod would hang until SIGKILL. So not during shutdown.
     */
    @Override
    public boolean isExitOnStopLeading() {
        return !jvmShuttingDown();
    }

    static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }
}
