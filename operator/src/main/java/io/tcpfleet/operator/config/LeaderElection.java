package io.tcpfleet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * One Lease in the operator's own namespace: a second replica waits instead of reconciling twice.
 * QOSDK activates it in the prod profile (quarkus.operator-sdk.activate-leader-election-for-profiles).
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE_NAME = "tcpfleet-operator-lease";

    public LeaderElection(OperatorConfig config) {
        super(LEASE_NAME, config.namespace());
    }
}
