package io.tcpfleet.operator.reconciler;

import static io.tcpfleet.operator.reconciler.TcpServiceStatusAggregatorTest.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.model.TestPods;
import io.tcpfleet.operator.model.TestTcpServices;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusEventsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void theFirstRolloutIsTheCreationSoOnlyReadyIsTold() {
        TcpService tcps = TestTcpServices.named("echo");
        TcpServiceStatus rolling = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 0, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        TcpServiceStatus done = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(null, rolling)).isEmpty();
        assertThat(StatusEvents.between(rolling, done))
                .extracting(StatusEvents.Event::reason)
                .containsExactly("Ready");
    }

    @Test
    void aChangedSpecsRolloutStartsAndFinishes() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getMetadata().setGeneration(2L);
        TcpServiceStatus done = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        TcpServiceStatus rolling = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(2, 2, 2, 2, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(done, rolling))
                .extracting(StatusEvents.Event::reason)
                .containsExactly("RolloutStarted");
        assertThat(StatusEvents.between(rolling, done))
                .extracting(StatusEvents.Event::reason)
                .containsExactly("RolloutFinished");
    }

    @Test
    void monitoringSkippedIsAWarningOnceNotOnEveryReconcile() {
        TcpService tcps = TestTcpServices.named("echo");
        TcpServiceStatus first = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.CRD_MISSING, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(null, first)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("MonitoringSkipped");
        });
        assertThat(StatusEvents.between(first, first)).isEmpty();
        TcpServiceStatus installed = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(first, installed))
                .extracting(StatusEvents.Event::reason)
                .containsExactly("MonitoringEnabled");
    }

    @Test
    void settingsThatHurtAreAWarningOnceAndAgainOnlyWhenTheWarningChanges() {
        TcpService tcps = TestTcpServices.named("echo");
        Connections connections = new Connections();
        connections.setMaxAge("1h");
        connections.setMaxAgeJitterPercent(0);
        tcps.getSpec().setConnections(connections);
        TcpServiceStatus first = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(first.condition(Condition.SETTINGS_WARNING)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo(Condition.TRUE);
            assertThat(c.getReason()).isEqualTo("MaxAgeWithoutJitter");
        });
        assertThat(StatusEvents.between(null, first)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("MaxAgeWithoutJitter");
        });
        assertThat(StatusEvents.between(first, first)).isEmpty();

        connections.setMaxAge("20s");
        TcpServiceStatus worse = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(first, worse))
                .extracting(StatusEvents.Event::reason)
                .containsExactly("SeveralWarnings");

        connections.setMaxAgeJitterPercent(10);
        connections.setMaxAge("1h");
        TcpServiceStatus fixed = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(fixed.condition(Condition.SETTINGS_WARNING))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo(Condition.FALSE));
        assertThat(StatusEvents.between(worse, fixed)).isEmpty();
    }

    @Test
    void alertingSkippedIsAWarningOnceThenEnabledOnceTheRuleCrdArrives() {
        TcpService tcps = TestTcpServices.named("echo");
        TcpServiceStatus first = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.CRD_MISSING, NOW);
        assertThat(StatusEvents.between(null, first)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("AlertingSkipped");
        });
        assertThat(StatusEvents.between(first, first)).isEmpty();
        TcpServiceStatus installed = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(first, installed))
                .extracting(StatusEvents.Event::reason)
                .containsExactly("AlertingEnabled");
    }

    @Test
    void aPodProblemIsOneWarningUntilItsReasonChanges() {
        TcpService tcps = TestTcpServices.named("echo");
        TcpServiceStatus healthy = TcpServiceStatusAggregator.aggregate(
                tcps,
                deployment(1, 1, 1, 1, 1),
                List.of(TestPods.ready("echo-a")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                NOW);
        TcpServiceStatus pulling = TcpServiceStatusAggregator.aggregate(
                tcps,
                deployment(1, 1, 1, 0, 1),
                List.of(TestPods.waiting("echo-b", "ImagePullBackOff", "Back-off pulling image \"x\"")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                NOW);
        TcpServiceStatus stillPulling = TcpServiceStatusAggregator.aggregate(
                tcps,
                deployment(1, 1, 1, 0, 1),
                List.of(TestPods.waiting("echo-b", "ImagePullBackOff", "Back-off pulling image \"x\": not found")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                NOW);
        TcpServiceStatus crashing = TcpServiceStatusAggregator.aggregate(
                tcps,
                deployment(1, 1, 1, 0, 1),
                List.of(TestPods.crashLooping("echo-b", 1, "boom")),
                MonitoringState.ACTIVE,
                MonitoringState.ACTIVE,
                NOW);

        assertThat(StatusEvents.between(healthy, pulling)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("ImagePullBackOff");
            assertThat(e.message())
                    .isEqualTo("pod echo-b container server: ImagePullBackOff: Back-off pulling image \"x\"");
        });
        assertThat(StatusEvents.between(pulling, stillPulling))
                .as("same reason, new message")
                .isEmpty();
        assertThat(StatusEvents.between(stillPulling, crashing)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("CrashLoopBackOff");
        });
    }

    @Test
    void becomingReadyIsNormalAndAnErrorIsAWarning() {
        TcpService tcps = TestTcpServices.named("echo");
        TcpServiceStatus waiting = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 0, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        TcpServiceStatus ready = TcpServiceStatusAggregator.aggregate(
                tcps, deployment(1, 1, 1, 1, 1), List.of(), MonitoringState.ACTIVE, MonitoringState.ACTIVE, NOW);
        assertThat(StatusEvents.between(waiting, ready))
                .extracting(StatusEvents.Event::reason)
                .contains("Ready");
        tcps.setStatus(ready);
        TcpServiceStatus failed = TcpServiceStatusAggregator.withError(tcps, new RuntimeException("forbidden"), NOW);
        assertThat(StatusEvents.between(ready, failed)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("ReconcileFailed");
            assertThat(e.message()).isEqualTo("forbidden");
        });
    }
}
