package io.tcpfleet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Leader election on or off at run time (tcpfleet.operator.leader-election). QOSDK decides by
 * profile at build time (activate-leader-election-for-profiles=prod), then, in those profiles, looks
 * the LeaderElectionConfiguration bean up when the operator starts: no configuration means no
 * election. A ConfigurationServiceCustomizer cannot unset it (JOSDK's overrider falls back to the
 * original for null), so the producer itself answers null when it is off; only a @Dependent
 * producer may.
 */
@Singleton
class LeaderElectionSwitch {

    private static final Logger LOG = Logger.getLogger(LeaderElectionSwitch.class);

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        if (!config.leaderElection()) {
            LOG.info("leader election is off (tcpfleet.operator.leader-election=false): run one replica only,"
                    + " a second would reconcile the same TcpServices");
            return null;
        }
        return new LeaderElection(config.namespace());
    }
}
