package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.tcpfleet.operator.api.v1alpha1.Disruption;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import org.junit.jupiter.api.Test;

class ServerDisruptionBudgetTest {

    @Test
    void defaultsToOneUnavailableAndNeverBlocksNodeDrains() {
        PodDisruptionBudget pdb = ServerDisruptionBudget.build(TestTcpServices.named("echo"));
        assertThat(pdb.getMetadata().getName()).isEqualTo("echo");
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("tcpfleet.io/service", "echo");
    }

    @Test
    void minAvailableReplacesTheDefault() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setDisruption(new Disruption(null, new IntOrString("50%")));
        PodDisruptionBudget pdb = ServerDisruptionBudget.build(tcps);
        assertThat(pdb.getSpec().getMinAvailable()).isEqualTo(new IntOrString("50%"));
        assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
    }

    @Test
    void maxUnavailableIsTakenAsGiven() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setDisruption(new Disruption(new IntOrString(2), null));
        assertThat(ServerDisruptionBudget.build(tcps).getSpec().getMaxUnavailable())
                .isEqualTo(new IntOrString(2));
    }
}
