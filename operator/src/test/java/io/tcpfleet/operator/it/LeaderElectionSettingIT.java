package io.tcpfleet.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.config.LeaderElection;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * tcpfleet.operator.leader-election, read when the operator starts: off, the operator takes no Lease
 * and needs no Lease namespace, so {@code java -jar} against any cluster reconciles; on (the
 * default), it still takes the Lease before reconciling. Each operator here watches only its test's
 * namespace, with the shared operator stopped, so what reconciles there is the one under test.
 */
@ExtendWith(ClusterExtension.class)
class LeaderElectionSettingIT {

    @BeforeEach
    void aloneOnTheCluster() {
        TestCluster.installTcpServiceCrd();
        OperatorRbac.install();
        SharedOperator.stop(); // the next test that needs it starts a fresh one
    }

    @Test
    void offAMissingLeaseNamespaceDoesNotStopTheOperator(KubernetesClient client, TestNamespace ns) {
        try (OperatorProcess operator = start(
                "off-missing",
                ns,
                Map.of(
                        "kubernetes.impersonate.username", OperatorRbac.USER,
                        "tcpfleet.operator.namespace", "no-such-namespace",
                        "tcpfleet.operator.leader-election", "false"))) {
            reconciles(client, ns);
            assertThat(operator.logText())
                    .contains("leader election is off")
                    .doesNotContain("leader election cannot start")
                    .doesNotContain("Exception occurred while acquiring lock");
        }
    }

    /** As an admin, so only the setting (not RBAC) keeps the Lease out of the namespace. */
    @Test
    void offTakesNoLease(KubernetesClient client, TestNamespace ns) {
        try (OperatorProcess operator = start(
                "off",
                ns,
                Map.of("tcpfleet.operator.namespace", ns.name(), "tcpfleet.operator.leader-election", "false"))) {
            reconciles(client, ns);
            assertThat(client.leases().inNamespace(ns.name()).list().getItems())
                    .as("Leases in the operator's namespace")
                    .isEmpty();
        }
    }

    @Test
    void onByDefaultTakesTheLease(KubernetesClient client, TestNamespace ns) {
        try (OperatorProcess operator = start("on", ns, Map.of("tcpfleet.operator.namespace", ns.name()))) {
            reconciles(client, ns);
            Lease lease = client.leases()
                    .inNamespace(ns.name())
                    .withName(LeaderElection.LEASE_NAME)
                    .get();
            assertThat(lease)
                    .as("Lease %s in %s", LeaderElection.LEASE_NAME, ns.name())
                    .isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        }
    }

    private static OperatorProcess start(String name, TestNamespace ns, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("quarkus.operator-sdk.controllers.tcpservice.namespaces", ns.name());
        properties.put("tcpfleet.operator.server-image", SharedOperator.TEST_IMAGE);
        return OperatorProcess.start(
                Path.of("target", "operator-it-leader-election-" + name + ".log"),
                LocalCluster.shared().kubeconfig(),
                properties,
                Map.of());
    }

    private static void reconciles(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "echo", s -> s.setReplicas(1));
        TcpServices.awaitCondition(client, ns.name(), "echo", Condition.READY, Condition.TRUE);
    }
}
