package io.tcpfleet.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.tcpfleet.operator.fleet.DeletionCosts.Write;
import io.tcpfleet.operator.model.TestPods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionCostsTest {

    @Test
    void theEmptiestPodsGetTheLowestCostsSoTheyAreDeletedFirst() {
        List<Pod> pods = List.of(ready("p-a"), ready("p-b"), ready("p-c"), ready("p-d"), ready("p-e"), ready("p-f"));
        Map<String, Long> connections = Map.of("p-a", 30L, "p-b", 0L, "p-c", 50L, "p-d", 10L, "p-e", 40L, "p-f", 20L);

        List<Pod> after = applied(pods, DeletionCosts.plan(pods, connections));

        assertThat(deletedFirst(after, 3)).containsExactlyInAnyOrder("p-b", "p-d", "p-f");
        assertThat(after)
                .allSatisfy(p -> assertThat(annotations(p))
                        .containsEntry(
                                DeletionCosts.COST, connections.get(name(p)).toString())
                        .containsEntry(
                                DeletionCosts.WRITTEN, connections.get(name(p)).toString()));
    }

    @Test
    void aPodThatDidNotAnswerGetsTheHighestCostSoItIsNotTheOneKilled() {
        List<Pod> pods = List.of(ready("quiet"), ready("busy"), ready("empty"));

        List<Pod> after = applied(pods, DeletionCosts.plan(pods, Map.of("busy", 5_000L, "empty", 0L)));

        assertThat(deletedFirst(after, 2)).containsExactlyInAnyOrder("empty", "busy");
        assertThat(annotations(after.get(0))).containsEntry(DeletionCosts.COST, String.valueOf(Integer.MAX_VALUE));
    }

    @Test
    void aUsersOwnCostIsNeverChanged() {
        Pod protectedByUser = withAnnotations(ready("kept"), Map.of(DeletionCosts.COST, "1000000"));
        Pod changedByUserSinceTcpfleetWrote =
                withAnnotations(ready("changed"), Map.of(DeletionCosts.COST, "-5", DeletionCosts.WRITTEN, "7"));

        List<Write> writes = DeletionCosts.plan(
                List.of(protectedByUser, changedByUserSinceTcpfleetWrote, ready("other")),
                Map.of("kept", 0L, "changed", 0L, "other", 3L));

        assertThat(writes).containsExactly(new Write("other", 3));
    }

    @Test
    void aCostTcpfleetWroteIsUpdatedAndARightOneIsNotWrittenAgain() {
        Pod stale = withAnnotations(ready("stale"), Map.of(DeletionCosts.COST, "7", DeletionCosts.WRITTEN, "7"));
        Pod right = withAnnotations(ready("right"), Map.of(DeletionCosts.COST, "12", DeletionCosts.WRITTEN, "12"));

        List<Write> writes = DeletionCosts.plan(List.of(stale, right), Map.of("stale", 2L, "right", 12L));

        assertThat(writes).containsExactly(new Write("stale", 2));
    }

    @Test
    void onlyReadyPodsThatAreNotTerminatingAreRanked() {
        Pod terminating = new PodBuilder(ready("terminating"))
                .editMetadata()
                .withDeletionTimestamp("2026-01-01T10:05:00Z")
                .endMetadata()
                .build();

        assertThat(DeletionCosts.candidates(
                        List.of(ready("b"), TestPods.starting("starting"), terminating, ready("a"))))
                .extracting(DeletionCostsTest::name)
                .containsExactly("a", "b");
    }

    /** What the ReplicaSet controller removes first among Ready pods: lowest cost (absent = 0), here by name next. */
    private static List<String> deletedFirst(List<Pod> pods, int count) {
        return pods.stream()
                .sorted(Comparator.comparingInt(
                                (Pod p) -> Integer.parseInt(annotations(p).getOrDefault(DeletionCosts.COST, "0")))
                        .thenComparing(DeletionCostsTest::name))
                .limit(count)
                .map(DeletionCostsTest::name)
                .toList();
    }

    /** The pods as the merge patches of {@code writes} leave them. */
    private static List<Pod> applied(List<Pod> pods, List<Write> writes) {
        List<Pod> after = new ArrayList<>();
        for (Pod pod : pods) {
            Map<String, String> annotations = new HashMap<>(annotations(pod));
            writes.stream().filter(w -> w.pod().equals(name(pod))).forEach(w -> {
                annotations.put(DeletionCosts.COST, String.valueOf(w.cost()));
                annotations.put(DeletionCosts.WRITTEN, String.valueOf(w.cost()));
            });
            after.add(withAnnotations(pod, annotations));
        }
        return after;
    }

    private static Pod ready(String name) {
        return TestPods.ready(name);
    }

    private static Pod withAnnotations(Pod pod, Map<String, String> annotations) {
        return new PodBuilder(pod)
                .editMetadata()
                .withAnnotations(annotations)
                .endMetadata()
                .build();
    }

    private static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getName();
    }
}
