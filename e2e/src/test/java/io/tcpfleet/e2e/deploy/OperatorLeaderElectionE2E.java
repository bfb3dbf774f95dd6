package io.tcpfleet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.NamespacedOperator;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import java.net.http.HttpResponse;
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
                    .until(() -> first.logText().contains(LEADING)
                            || second.logText().contains(LEADING));
            OperatorProcess leader = first.logText().contains(LEADING) ? first : second;
            OperatorProcess standby = leader == first ? second : first;
            String holder = holder(client, namespace.name());

            assertThat(standby.logText()).as("standby " + standby.log()).doesNotContain(LEADING);
            assertThat(ready(standby)).as("standby readiness").isEqualTo(200);
            assertThat(ready(leader)).as("leader readiness").isEqualTo(200);

            leader.kill();
            await("standby takes over, log " + standby.log())
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> standby.logText().contains(LEADING));
            assertThat(holder(client, namespace.name())).isNotEqualTo(holder);
            assertThat(ready(standby)).isEqualTo(200);
        }
    }

    /** The status /q/health/ready answers with, 0 while nothing answers. */
    private static int ready(OperatorProcess operator) {
        return operator.get("/q/health/ready").map(HttpResponse::statusCode).orElse(0);
    }

    private static String holder(KubernetesClient client, String namespace) {
        Lease lease = client.leases().inNamespace(namespace).withName(LEASE).get();
        assertThat(lease).as("Lease " + namespace + "/" + LEASE).isNotNull();
        return lease.getSpec().getHolderIdentity();
    }
}
