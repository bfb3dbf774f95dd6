package io.tcpfleet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.e2e.support.OperatorProcess;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why deploy/ may run two replicas: two operator processes, each with the ServiceAccount's own
 * token, are both Ready, exactly one reconciles, and when it dies the other takes over.
 * The Lease lives in the test's namespace (POD_NAMESPACE, with deploy/'s leader-election role
 * bound there) so operators of other tests never hold it.
 */
@ExtendWith(ClusterExtension.class)
class OperatorLeaderElectionE2E {

    private static final String LEASE = "tcpfleet-operator-lease";
    private static final String LEADING = "Started event processing";

    @TempDir
    Path dir;

    @Test
    void standbyIsReadyAndTakesOverWhenTheLeaderDies(KubernetesClient client, TestNamespace namespace)
            throws Exception {
        Path kubeconfig = NamespacedOperator.kubeconfig(InstalledBase.admin(), dir);
        NamespacedOperator.allowLeaseIn(client, namespace.name());

        try (OperatorProcess first = NamespacedOperator.start("replica-a", kubeconfig, namespace.name());
                OperatorProcess second = NamespacedOperator.start("replica-b", kubeconfig, namespace.name())) {
            await("one replica leads")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> first.log().contains(LEADING) || second.log().contains(LEADING));
            OperatorProcess leader = first.log().contains(LEADING) ? first : second;
            OperatorProcess standby = leader == first ? second : first;
            String holder = holder(client, namespace.name());

            assertThat(standby.log()).as("standby " + standby.logFile()).doesNotContain(LEADING);
            assertThat(standby.health("ready")).as("standby readiness").isEqualTo(200);
            assertThat(leader.health("ready")).as("leader readiness").isEqualTo(200);

            leader.kill();
            await("standby takes over, log " + standby.logFile())
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> standby.log().contains(LEADING));
            assertThat(holder(client, namespace.name())).isNotEqualTo(holder);
            assertThat(standby.health("ready")).isEqualTo(200);
        }
    }

    private static String holder(KubernetesClient client, String namespace) {
        Lease lease = client.leases().inNamespace(namespace).withName(LEASE).get();
        assertThat(lease).as("Lease " + namespace + "/" + LEASE).isNotNull();
        return lease.getSpec().getHolderIdentity();
    }
}
