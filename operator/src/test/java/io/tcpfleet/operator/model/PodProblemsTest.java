package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodProblemsTest {

    @Test
    void imagePullBackOffNamesThePodTheContainerAndWhatTheKubeletSays() {
        Pod pod = TestPods.waiting("echo-7d9-abc", "ImagePullBackOff", "Back-off pulling image \"x\"");

        assertThat(PodProblems.first(List.of(pod)))
                .hasValue(new PodProblems.Problem(
                        "ImagePullBackOff",
                        "pod echo-7d9-abc container server: ImagePullBackOff: Back-off pulling image \"x\""));
    }

    @Test
    void crashLoopBackOffTellsTheLastExitCodeAndTerminationMessage() {
        Pod pod = TestPods.crashLooping("echo-7d9-abc", 2, "listen tcp :7000: bind: address already in use");

        assertThat(PodProblems.first(List.of(pod))).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo("CrashLoopBackOff");
            assertThat(p.message())
                    .isEqualTo(
                            "pod echo-7d9-abc container server: CrashLoopBackOff:"
                                    + " back-off 40s restarting failed container=server pod=echo-7d9-abc;"
                                    + " last terminated with exit code 2 (Error): listen tcp :7000: bind: address already in use");
        });
    }

    @Test
    void aRestartedContainerThatIsNotReadyTellsWhyItLastTerminated() {
        Pod pod = TestPods.restarted("echo-7d9-abc", 1, 137, "OOMKilled");

        assertThat(PodProblems.first(List.of(pod)))
                .hasValue(
                        new PodProblems.Problem(
                                "ContainerRestarted",
                                "pod echo-7d9-abc container server: restarted 1 time, last terminated with exit code 137 (OOMKilled)"));
    }

    @Test
    void anUnschedulablePodTellsWhatTheSchedulerSays() {
        Pod pod = TestPods.unschedulable("echo-7d9-abc", "0/3 nodes are available: 3 Insufficient cpu.");

        assertThat(PodProblems.first(List.of(pod)))
                .hasValue(new PodProblems.Problem(
                        "Unschedulable",
                        "pod echo-7d9-abc: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu."));
    }

    @Test
    void anInitContainerThatCannotStartIsAProblemBeforeTheMainContainers() {
        Pod pod = new PodBuilder(TestPods.starting("echo-7d9-abc"))
                .editStatus()
                .addToInitContainerStatuses(new ContainerStatusBuilder()
                        .withName("setup")
                        .withReady(false)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CreateContainerConfigError")
                        .withMessage("secret \"tls\" not found")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();

        assertThat(PodProblems.first(List.of(pod)))
                .hasValue(new PodProblems.Problem(
                        "CreateContainerConfigError",
                        "pod echo-7d9-abc container setup: CreateContainerConfigError: secret \"tls\" not found"));
    }

    @Test
    void healthyAndStartingPodsHaveNoProblem() {
        assertThat(PodProblems.first(List.of(TestPods.ready("echo-a"), TestPods.starting("echo-b"))))
                .isEmpty();
        assertThat(PodProblems.first(List.of())).isEmpty();
    }

    @Test
    void readyPodsAreIgnoredWhateverTheirContainersWentThrough() {
        Pod readyAfterAnOomKill = new PodBuilder(TestPods.restarted("echo-a", 4, 137, "OOMKilled"))
                .editStatus()
                .editMatchingCondition(c -> "Ready".equals(c.getType()))
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();

        assertThat(PodProblems.first(List.of(readyAfterAnOomKill))).isEmpty();
    }

    @Test
    void terminatingAndEvictedPodsAreIgnored() {
        Pod terminating = new PodBuilder(TestPods.crashLooping("echo-a", 1, "boom"))
                .editMetadata()
                .withDeletionTimestamp("2026-01-01T10:00:00Z")
                .endMetadata()
                .build();
        Pod evicted = new PodBuilder(TestPods.restarted("echo-b", 2, 137, "OOMKilled"))
                .editStatus()
                .withPhase("Failed")
                .withReason("Evicted")
                .endStatus()
                .build();

        assertThat(PodProblems.first(List.of(terminating, evicted))).isEmpty();
    }

    @Test
    void theFirstPodByNameWinsWhateverTheOrderTheCacheGivesThem() {
        Pod b = TestPods.waiting("echo-b", "ErrImagePull", "not found");
        Pod a = TestPods.crashLooping("echo-a", 1, "boom");

        assertThat(PodProblems.first(List.of(b, TestPods.ready("echo-0"), a)))
                .hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo("CrashLoopBackOff"));
    }

    @Test
    void aLongMultiLineTerminationMessageBecomesOneBoundedLine() {
        Pod pod =
                TestPods.crashLooping("echo-a", 1, "Exception in thread \"main\"\n\tat Main.main\n" + "x".repeat(5000));

        assertThat(PodProblems.first(List.of(pod))).hasValueSatisfying(p -> {
            assertThat(p.message())
                    .hasSize(1024)
                    .doesNotContain("\n", "\t")
                    .contains("Exception in thread \"main\" at Main.main x");
        });
    }
}
