package io.tcpfleet.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tcpfleet.operator.model.TestPods;
import org.junit.jupiter.api.Test;

class FleetPodsTest {

    @Test
    void aPodBelongsToTheTcpServiceItsLabelNamesInItsNamespace() {
        Pod pod = new PodBuilder(TestPods.ready("echo-7d9-abc"))
                .editMetadata()
                .addToLabels("tcpfleet.io/service", "echo")
                .endMetadata()
                .build();

        assertThat(FleetPods.tcpService(pod)).containsExactly(new ResourceID("echo", "apps"));
    }

    @Test
    void aPodWakesItsTcpServiceOnlyWhenItsProblemAppearsChangesOrGoes() {
        Pod starting = TestPods.starting("echo-a");
        Pod pulling = TestPods.waiting("echo-a", "ImagePullBackOff", "Back-off pulling image \"x\"");

        assertThat(FleetPods.showsProblem(starting)).as("a new pod").isFalse();
        assertThat(FleetPods.showsProblem(pulling)).isTrue();
        assertThat(FleetPods.problemChanged(pulling, starting)).isTrue();
        assertThat(FleetPods.problemChanged(TestPods.ready("echo-a"), pulling))
                .as("pulled at last")
                .isTrue();
        assertThat(FleetPods.problemChanged(TestPods.ready("echo-a"), starting))
                .as("readiness comes through the Deployment's status")
                .isFalse();
        assertThat(FleetPods.problemChanged(
                        TestPods.waiting("echo-a", "ImagePullBackOff", "Back-off pulling image \"x\""), pulling))
                .isFalse();
    }
}
