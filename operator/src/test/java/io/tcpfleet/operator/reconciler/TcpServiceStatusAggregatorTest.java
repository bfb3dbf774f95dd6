package io.tcpfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.fleet.RebalancePlan;
import io.tcpfleet.operator.model.TestPods;
import io.tcpfleet.operator.model.TestTcpServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpServiceStatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

    static Deployment deployment(long generation, long observed, int replicas, int ready, int updated) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("echo")
                .withGeneration(generation)
                .endMetadata()
                .withNewStatus()
                .withObservedGeneration(observed)
                .withReplicas(replicas)
                .withReadyReplicas(ready)
                .withUpdatedReplicas(updated)
                .withAvailableReplicas(ready)
                .endStatus()
                .build();
    }

    private static TcpService withReplicas(int replicas) {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setReplicas(replicas);
        return tcps;
    }

    private static Condition condition(TcpServiceStatus s, String type) {
        return s.condition(type).orElseThrow();
    }

    @Test
    void firstReconcileAlreadyCarriesReadyFalseAndTheScaleFields() {
        TcpService tcps = withReplicas(3);
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                tcps, null, List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("False");
        assertThat(condition(s, Condition.PROGRESSING).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("False");
        assertThat(s.getObservedGeneration()).isEqualTo(1L);
        assertThat(s.getSelector()).isEqualTo("tcpfleet.io/service=echo");
        assertThat(s.getEndpoint()).isEqualTo("echo.apps.svc:7000");
        assertThat(s.getReplicas()).isZero();
        assertThat(s.getConditions()).allSatisfy(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
        });
    }

    @Test
    void readyAndRolledOutWhenEveryReplicaIsReadyAndCurrent() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(3),
                deployment(2, 2, 3, 3, 3),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.READY).getReason()).isEqualTo("AllReplicasReady");
        assertThat(condition(s, Condition.PROGRESSING).getStatus()).isEqualTo("False");
        assertThat(s.getReadyReplicas()).isEqualTo(3);
        assertThat(s.getUpdatedReplicas()).isEqualTo(3);
    }

    @Test
    void progressingWhileOldPodsAreStillAround() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(3),
                deployment(3, 3, 4, 4, 1),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.PROGRESSING).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.PROGRESSING).getReason()).isEqualTo("RollingOut");
        assertThat(condition(s, Condition.READY).getStatus())
                .as("capacity is kept during a rollout")
                .isEqualTo("True");
    }

    @Test
    void staysReadyButProgressingUntilTheDeploymentControllerHasSeenTheNewGeneration() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(3),
                deployment(4, 3, 3, 3, 3),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.PROGRESSING).getStatus()).isEqualTo("True");
    }

    @Test
    void notReadyWhileScalingUpBeyondTheReadyPods() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(4),
                deployment(2, 2, 4, 2, 4),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("False");
        assertThat(condition(s, Condition.READY).getMessage()).isEqualTo("2/4 replicas ready");
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusChanges() {
        TcpService tcps = withReplicas(3);
        tcps.setStatus(TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 3, 1, 3), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0));
        TcpServiceStatus later = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 3, 2, 3), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T1);
        assertThat(condition(later, Condition.READY).getMessage()).isEqualTo("2/3 replicas ready");
        assertThat(condition(later, Condition.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        tcps.setStatus(later);
        TcpServiceStatus ready = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 3, 3, 3), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T1);
        assertThat(condition(ready, Condition.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(condition(ready, Condition.DEGRADED).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void sameObservationGivesAnEqualStatusSoNothingIsPatched() {
        TcpService tcps = withReplicas(2);
        tcps.setStatus(TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 2, 2, 2), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0));
        assertThat(TcpServiceStatusAggregator.aggregate(
                        tcps, deployment(1, 1, 2, 2, 2), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T1))
                .isEqualTo(tcps.getStatus());
    }

    @Test
    void missingServiceMonitorCrdIsReportedButStillReady() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(1),
                deployment(1, 1, 1, 1, 1),
                List.of(),
                MonitoringState.CRD_MISSING,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.MONITORING).getStatus()).isEqualTo("False");
        assertThat(condition(s, Condition.MONITORING).getReason()).isEqualTo("ServiceMonitorCrdMissing");
    }

    @Test
    void missingPrometheusRuleCrdIsReportedAsMonitoringSkippedButStillReady() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(1),
                deployment(1, 1, 1, 1, 1),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.CRD_MISSING,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.MONITORING).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.ALERTING).getStatus()).isEqualTo("False");
        assertThat(condition(s, Condition.ALERTING).getReason()).isEqualTo("PrometheusRuleCrdMissing");
        assertThat(condition(s, Condition.ALERTING).getMessage()).startsWith("monitoring skipped:");
    }

    @Test
    void replicaFailureIsDegraded() {
        Deployment d = deployment(1, 1, 0, 0, 0);
        d.getStatus()
                .getConditions()
                .add(new DeploymentConditionBuilder()
                        .withType("ReplicaFailure")
                        .withStatus("True")
                        .withMessage("pods \"echo-1\" is forbidden: violates PodSecurity")
                        .build());
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(1), d, List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0);
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.DEGRADED).getMessage()).contains("PodSecurity");
    }

    @Test
    void aPodThatCannotPullItsImageIsWhyReadyIsFalseAndWhatDegradedSays() {
        Pod pulling = TestPods.waiting("echo-7d9-abc", "ImagePullBackOff", "Back-off pulling image \"x\"");
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(2),
                deployment(1, 1, 2, 0, 2),
                List.of(TestPods.starting("echo-7d9-def"), pulling),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("False");
        assertThat(condition(s, Condition.READY).getReason()).isEqualTo("ReplicasNotReady");
        assertThat(condition(s, Condition.READY).getMessage())
                .isEqualTo(
                        "0/2 replicas ready: pod echo-7d9-abc container server: ImagePullBackOff: Back-off pulling image \"x\"");
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.DEGRADED).getReason()).isEqualTo("ImagePullBackOff");
        assertThat(condition(s, Condition.DEGRADED).getMessage())
                .isEqualTo("pod echo-7d9-abc container server: ImagePullBackOff: Back-off pulling image \"x\"");
    }

    @Test
    void aCrashLoopIsDegradedWithTheLastExitCodeAndTerminationMessage() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(1),
                deployment(1, 1, 1, 0, 1),
                List.of(TestPods.crashLooping("echo-7d9-abc", 2, "bind: address already in use")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.DEGRADED).getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(condition(s, Condition.DEGRADED).getMessage())
                .startsWith("pod echo-7d9-abc container server:")
                .endsWith("last terminated with exit code 2 (Error): bind: address already in use");
        assertThat(condition(s, Condition.READY).getMessage()).startsWith("0/1 replicas ready: pod echo-7d9-abc");
    }

    @Test
    void anUnschedulablePodIsDegradedWithTheSchedulersMessage() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(1),
                deployment(1, 1, 1, 0, 1),
                List.of(TestPods.unschedulable("echo-7d9-abc", "0/3 nodes are available: 3 Insufficient cpu.")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.DEGRADED).getReason()).isEqualTo("Unschedulable");
        assertThat(condition(s, Condition.DEGRADED).getMessage()).endsWith("3 Insufficient cpu.");
    }

    @Test
    void podsSheddingForARebalanceRoundKeepTheServiceReadyAndRolledOutUntilTheRoundsEnd() {
        List<Pod> pods = new ArrayList<>();
        for (String name : List.of("echo-a", "echo-b", "echo-c")) {
            pods.add(TestPods.ready(name));
        }
        for (String name : List.of("echo-d", "echo-e")) {
            pods.add(new PodBuilder(TestPods.starting(name))
                    .editMetadata()
                    .addToAnnotations(RebalancePlan.UNTIL, T0.plusSeconds(60).toString())
                    .endMetadata()
                    .build());
        }
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(5), deployment(2, 2, 5, 3, 5), pods, MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.READY).getReason()).isEqualTo("Rebalancing");
        assertThat(condition(s, Condition.READY).getMessage())
                .isEqualTo("3/5 replicas ready, 2 more shedding connections to rebalance the fleet");
        assertThat(condition(s, Condition.PROGRESSING).getStatus()).isEqualTo("False");
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("False");

        TcpServiceStatus past = TcpServiceStatusAggregator.aggregate(
                withReplicas(5),
                deployment(2, 2, 5, 3, 5),
                pods,
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0.plusSeconds(60));
        assertThat(condition(past, Condition.READY).getStatus())
                .as("past the round's end a not-ready pod is not ready")
                .isEqualTo("False");
    }

    @Test
    void podsReadyAgainBeforeTheDeploymentHasCountedThemAreReadyNotAReplicaLost() {
        List<Pod> pods = List.of(
                TestPods.ready("echo-a"), TestPods.ready("echo-b"), TestPods.ready("echo-c"), TestPods.ready("echo-d"));
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(4), deployment(2, 2, 4, 2, 4), pods, MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.READY).getMessage()).isEqualTo("4/4 replicas ready");
        assertThat(condition(s, Condition.PROGRESSING).getStatus()).isEqualTo("False");
        assertThat(s.getReadyReplicas())
                .as("what the Ready condition counts, not the Deployment's lagging 2")
                .isEqualTo(4);
    }

    @Test
    void podsThatAreOnlyStartingLeaveReadyFalseWithoutBlame() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(2),
                deployment(1, 1, 2, 1, 2),
                List.of(TestPods.ready("echo-a"), TestPods.starting("echo-b")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getMessage()).isEqualTo("1/2 replicas ready");
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("False");
    }

    @Test
    void aStuckSurgePodIsNoProblemWhileEveryReplicaIsReady() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(2),
                deployment(2, 2, 3, 2, 1),
                List.of(
                        TestPods.ready("echo-a"),
                        TestPods.ready("echo-b"),
                        TestPods.waiting("echo-c", "ErrImagePull", "nope")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("False");
    }

    @Test
    void replicaFailureOutranksAPodProblemWhichOutranksTheProgressDeadline() {
        List<Pod> pulling = List.of(TestPods.waiting("echo-a", "ImagePullBackOff", "Back-off pulling image \"x\""));
        Deployment stalled = deployment(1, 1, 1, 0, 1);
        stalled.getStatus()
                .getConditions()
                .add(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet has timed out")
                        .build());
        assertThat(condition(
                                TcpServiceStatusAggregator.aggregate(
                                        withReplicas(2),
                                        stalled,
                                        pulling,
                                        MonitoringState.ACTIVE,
                                        MonitoringState.ACTIVE,
                                        T0),
                                Condition.DEGRADED)
                        .getReason())
                .isEqualTo("ImagePullBackOff");
        assertThat(condition(
                                TcpServiceStatusAggregator.aggregate(
                                        withReplicas(2),
                                        stalled,
                                        List.of(),
                                        MonitoringState.ACTIVE,
                                        MonitoringState.ACTIVE,
                                        T0),
                                Condition.DEGRADED)
                        .getReason())
                .isEqualTo("ProgressDeadlineExceeded");

        stalled.getStatus()
                .getConditions()
                .add(new DeploymentConditionBuilder()
                        .withType("ReplicaFailure")
                        .withStatus("True")
                        .withMessage("exceeded quota")
                        .build());
        assertThat(condition(
                                TcpServiceStatusAggregator.aggregate(
                                        withReplicas(2),
                                        stalled,
                                        pulling,
                                        MonitoringState.ACTIVE,
                                        MonitoringState.ACTIVE,
                                        T0),
                                Condition.DEGRADED)
                        .getReason())
                .isEqualTo("ReplicaFailure");
    }

    @Test
    void anErrorBecomesDegradedAndKeepsTheRest() {
        TcpService tcps = withReplicas(1);
        tcps.setStatus(TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0));
        TcpServiceStatus s = TcpServiceStatusAggregator.withError(
                tcps, new RuntimeException("apply failed", new IllegalStateException("quota exceeded")), T1);
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.DEGRADED).getReason()).isEqualTo("ReconcileFailed");
        assertThat(condition(s, Condition.DEGRADED).getMessage()).isEqualTo("quota exceeded");
        assertThat(condition(s, Condition.DEGRADED).getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(condition(s, Condition.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(s.getReadyReplicas()).isEqualTo(1);
    }

    @Test
    void anErrorOnTheFirstReconcileStillWritesReady() {
        TcpServiceStatus s = TcpServiceStatusAggregator.withError(withReplicas(1), new RuntimeException("boom"), T0);
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("Unknown");
        assertThat(condition(s, Condition.DEGRADED).getStatus()).isEqualTo("True");
    }
    /** What kstatus (sigs.k8s.io/cli-utils) decides by: "Reconciling=True" InProgress, "Stalled=True" Failed. */
    private static String kstatusPair(TcpServiceStatus s) {
        return "Reconciling=" + condition(s, Condition.RECONCILING).getStatus() + " Stalled="
                + condition(s, Condition.STALLED).getStatus();
    }

    @Test
    void reconcilingWhileTheDeploymentIsCreatedAndWhileItRollsOut() {
        TcpServiceStatus creating = TcpServiceStatusAggregator.aggregate(
                withReplicas(3), null, List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0);
        TcpServiceStatus rollingOut = TcpServiceStatusAggregator.aggregate(
                withReplicas(3),
                deployment(3, 3, 4, 4, 1),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);

        assertThat(kstatusPair(creating)).isEqualTo("Reconciling=True Stalled=False");
        assertThat(condition(creating, Condition.RECONCILING).getReason()).isEqualTo("Creating");
        assertThat(kstatusPair(rollingOut))
                .as("Ready stays True through a rollout; Reconciling says it is not done")
                .isEqualTo("Reconciling=True Stalled=False");
        assertThat(condition(rollingOut, Condition.RECONCILING).getReason()).isEqualTo("RollingOut");
        assertThat(condition(rollingOut, Condition.RECONCILING).getMessage())
                .isEqualTo("1/3 replicas updated, 4 running");
    }

    @Test
    void reconcilingWhileReplicasAreOnlyStarting() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(2),
                deployment(1, 1, 2, 1, 2),
                List.of(TestPods.ready("echo-a"), TestPods.starting("echo-b")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);
        assertThat(kstatusPair(s)).isEqualTo("Reconciling=True Stalled=False");
    }

    @Test
    void neitherOnceEveryReplicaIsReadyAndCurrent() {
        TcpServiceStatus s = TcpServiceStatusAggregator.aggregate(
                withReplicas(3),
                deployment(2, 2, 3, 3, 3),
                List.of(),
                MonitoringState.ACTIVE,
                MonitoringState.CRD_MISSING,
                T0);
        assertThat(kstatusPair(s)).isEqualTo("Reconciling=False Stalled=False");
        assertThat(condition(s, Condition.RECONCILING).getReason()).isEqualTo("Reconciled");
    }

    @Test
    void stalledIsDegradedUnderKstatusNameAndStopsReconciling() {
        Deployment deadline = deployment(2, 2, 2, 1, 1);
        deadline.getStatus()
                .getConditions()
                .add(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"echo-7d9\" has timed out progressing.")
                        .build());
        TcpServiceStatus pastDeadline = TcpServiceStatusAggregator.aggregate(
                withReplicas(1), deadline, List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0);
        TcpServiceStatus crashing = TcpServiceStatusAggregator.aggregate(
                withReplicas(1),
                deployment(1, 1, 1, 0, 1),
                List.of(TestPods.crashLooping("echo-7d9-abc", 2, "bind: address already in use")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                T0);

        assertThat(kstatusPair(pastDeadline))
                .as("still rolling out (Progressing=True), but stalled wins")
                .isEqualTo("Reconciling=False Stalled=True");
        assertThat(condition(pastDeadline, Condition.STALLED).getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(condition(pastDeadline, Condition.STALLED).getMessage()).contains("has timed out progressing");
        assertThat(kstatusPair(crashing)).isEqualTo("Reconciling=False Stalled=True");
        assertThat(condition(crashing, Condition.STALLED))
                .usingRecursiveComparison()
                .comparingOnlyFields("status", "reason", "message")
                .isEqualTo(condition(crashing, Condition.DEGRADED));
    }

    @Test
    void aFailedReconcileIsStalledAndAFixedOneIsNotAnyMore() {
        TcpService tcps = withReplicas(1);
        tcps.setStatus(TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T0));
        TcpServiceStatus failed =
                TcpServiceStatusAggregator.withError(tcps, new RuntimeException("admission webhook denied"), T1);
        tcps.setStatus(failed);
        TcpServiceStatus fixed = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, T1);

        assertThat(kstatusPair(failed)).isEqualTo("Reconciling=False Stalled=True");
        assertThat(condition(failed, Condition.STALLED).getReason()).isEqualTo("ReconcileFailed");
        assertThat(condition(failed, Condition.STALLED).getMessage()).isEqualTo("admission webhook denied");
        assertThat(failed.getConditions()).extracting(Condition::getType).doesNotHaveDuplicates();
        assertThat(kstatusPair(fixed)).isEqualTo("Reconciling=False Stalled=False");
    }
}
