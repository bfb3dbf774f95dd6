package io.tcpfleet.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.operator.model.EffectiveSpec;
import io.tcpfleet.operator.model.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalancePlanTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:10:00Z");
    private static final RebalancePlan.Settings EMQX = new RebalancePlan.Settings(1000, 10, 100, Duration.ofMinutes(3));

    @Test
    void afterAScaleOutFrom3To6TheOldPodsShedExactlyTheirExcessDownToTheAverage() {
        List<Pod> pods = pods("a", "b", "c", "d", "e", "f");
        Map<String, Long> counts = Map.of("a", 1000L, "b", 1010L, "c", 990L, "d", 0L, "e", 0L, "f", 0L);

        RebalancePlan.Round round = RebalancePlan.plan(pods, counts, EMQX).orElseThrow();

        assertThat(round.shed()).containsExactly(Map.entry("a", 500L), Map.entry("b", 510L), Map.entry("c", 490L));
        assertThat(round.shed().values().stream().mapToLong(Long::longValue).sum())
                .as("the excess over the average, and not one connection more")
                .isEqualTo(1500);
        assertThat(round.value("b", 100)).as("the busiest at the rate").isEqualTo("1:510:100");
        assertThat(round.value("c", 100))
                .as("the others in proportion, so that all finish together")
                .isEqualTo("1:490:97");
        assertThat(round.message())
                .isEqualTo("round 1: 3 of 6 pods shed 1500 connections, the busiest at 100/s, down to the average"
                        + " 500 (busiest 1010, emptiest 0)");
    }

    @Test
    void bothThresholdsMustBePassedAsInEmqx() {
        List<Pod> pods = pods("a", "b");
        assertThat(RebalancePlan.plan(pods, Map.of("a", 1000L, "b", 0L), EMQX))
                .as("1,000 apart is not more than 1,000")
                .isEmpty();
        assertThat(RebalancePlan.plan(pods, Map.of("a", 1001L, "b", 0L), EMQX)).isPresent();
        assertThat(RebalancePlan.plan(pods, Map.of("a", 12_000L, "b", 11_000L), EMQX))
                .as("1,000 apart but within 10 %")
                .isEmpty();
        assertThat(RebalancePlan.plan(pods, Map.of("a", 12_200L, "b", 11_000L), EMQX))
                .isPresent();
    }

    @Test
    void aRoundIsNumberedAfterTheHighestAnyPodCarriesSoEveryServerSeesANewOne() {
        List<Pod> pods = List.of(
                annotated(ready("a"), Map.of("tcpfleet.io/rebalance", "7:10:100")),
                annotated(ready("b"), Map.of("tcpfleet.io/rebalance", "not ours")),
                ready("c"));

        RebalancePlan.Round round = RebalancePlan.plan(pods, Map.of("a", 2000L, "b", 0L, "c", 0L), EMQX)
                .orElseThrow();

        assertThat(round.round()).isEqualTo(8);
    }

    @Test
    void noRoundUntilEveryWantedPodHasBeenReadyForReadyFor() {
        Instant justReady = NOW.minusSeconds(60);
        Instant longReady = NOW.minus(Duration.ofMinutes(10));

        assertThat(RebalancePlan.notSettled(List.of(readyAt("a", longReady), readyAt("b", longReady)), 2, EMQX, NOW))
                .isEmpty();
        assertThat(RebalancePlan.notSettled(List.of(readyAt("a", longReady), readyAt("b", justReady)), 2, EMQX, NOW))
                .contains("pod b Ready for less than PT3M");
        assertThat(RebalancePlan.notSettled(
                        List.of(readyAt("a", longReady), readyAt("b", longReady), TestPods.starting("c")),
                        3,
                        EMQX,
                        NOW))
                .as("a scale-out under way")
                .contains("2 of 3 pods Ready, 3 wanted");
        assertThat(RebalancePlan.notSettled(List.of(readyAt("a", longReady), readyAt("b", longReady)), 3, EMQX, NOW))
                .contains("2 of 2 pods Ready, 3 wanted");
        assertThat(RebalancePlan.notSettled(List.of(readyAt("a", longReady)), 1, EMQX, NOW))
                .contains("fewer than 2 replicas");
    }

    @Test
    void aNotReadyPodIsSheddingOnlyUntilItsRoundsEnd() {
        Pod shedding = annotated(
                TestPods.starting("a"),
                Map.of(RebalancePlan.UNTIL, NOW.plusSeconds(1).toString()));

        assertThat(RebalancePlan.shedding(shedding, NOW)).isTrue();
        assertThat(RebalancePlan.shedding(shedding, NOW.plusSeconds(1))).isFalse();
        assertThat(RebalancePlan.shedding(TestPods.starting("b"), NOW)).isFalse();
        assertThat(RebalancePlan.shedding(
                        annotated(
                                ready("c"),
                                Map.of(RebalancePlan.UNTIL, NOW.plusSeconds(60).toString())),
                        NOW))
                .as("a Ready pod is simply Ready")
                .isFalse();
    }

    @Test
    void aRoundEndsAtTheLatestAfterThePropagationTheDelayTheBusiestPodsShedAndTheGrace() {
        TcpServiceSpec spec = new TcpServiceSpec(); // drain.delay 5s, maxAgeGrace 30s
        RebalancePlan.Round round = new RebalancePlan.Round(1, Map.of("a", 950L, "b", 100L), "the message");

        assertThat(RebalancePlan.until(round, 100, EffectiveSpec.of(spec), NOW))
                .isEqualTo(NOW.plus(Duration.ofMinutes(2)).plusSeconds(5 + 10 + 30));
    }

    private static List<Pod> pods(String... names) {
        return java.util.Arrays.stream(names).map(RebalancePlanTest::ready).toList();
    }

    private static Pod ready(String name) {
        return readyAt(name, NOW.minus(Duration.ofHours(1)));
    }

    private static Pod readyAt(String name, Instant since) {
        Pod pod = TestPods.ready(name);
        pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .forEach(c -> c.setLastTransitionTime(since.toString()));
        return pod;
    }

    private static Pod annotated(Pod pod, Map<String, String> annotations) {
        return new PodBuilder(pod)
                .editMetadata()
                .withAnnotations(annotations)
                .endMetadata()
                .build();
    }
}
