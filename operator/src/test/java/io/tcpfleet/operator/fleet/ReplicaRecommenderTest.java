package io.tcpfleet.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplicaRecommenderTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    /** min 1, max 6, 1,000 per pod, no buffer, up at once, down after 60 s. */
    private static final ReplicaRecommender.Settings S =
            new ReplicaRecommender.Settings(1, 6, 1000, 0, Duration.ZERO, Duration.ofSeconds(60));

    @Test
    void recommendsConnectionsPlusBufferOverTargetRoundedUpWithinMinAndMax() {
        assertThat(ReplicaRecommender.recommend(0, S)).isEqualTo(1);
        assertThat(ReplicaRecommender.recommend(1000, S)).isEqualTo(1);
        assertThat(ReplicaRecommender.recommend(1001, S)).isEqualTo(2);
        assertThat(ReplicaRecommender.recommend(60_000, S)).isEqualTo(6);
        ReplicaRecommender.Settings buffered =
                new ReplicaRecommender.Settings(2, 6, 1000, 500, Duration.ZERO, Duration.ofSeconds(60));
        assertThat(ReplicaRecommender.recommend(0, buffered)).isEqualTo(2);
        assertThat(ReplicaRecommender.recommend(2600, buffered)).isEqualTo(4);
    }

    @Test
    void scalesUpAtOnceButDownOnlyToTheHighestRecommendationOfTheDownWindow() {
        ReplicaRecommender r = new ReplicaRecommender();
        assertThat(r.next(T0, 1, 500, true, S)).isEqualTo(1);
        assertThat(r.next(at(15), 1, 4200, true, S)).isEqualTo(5);
        // The load falls at 30 s: the 5 of 15 s is inside the window until 75 s.
        assertThat(r.next(at(30), 5, 1500, true, S)).isEqualTo(5);
        assertThat(r.next(at(60), 5, 1500, true, S)).isEqualTo(5);
        assertThat(r.next(at(75), 5, 1500, true, S)).isEqualTo(5);
        assertThat(r.next(at(76), 5, 1500, true, S)).isEqualTo(2);
    }

    @Test
    void loadSwingingAcrossAStepScalesUpOnceAndDoesNotFlap() {
        ReplicaRecommender r = new ReplicaRecommender();
        int replicas = 3;
        int changes = 0;
        for (int i = 0; i < 40; i++) {
            long connections = i % 2 == 0 ? 3100 : 2900; // 4 pods, then 3, then 4 ...
            int next = r.next(at(15L * i), replicas, connections, true, S);
            changes += next != replicas ? 1 : 0;
            replicas = next;
        }
        assertThat(replicas).isEqualTo(4);
        assertThat(changes).isEqualTo(1);
    }

    @Test
    void anUpWindowWaitsForTheLoadToStayHigh() {
        ReplicaRecommender.Settings s =
                new ReplicaRecommender.Settings(1, 6, 1000, 0, Duration.ofSeconds(30), Duration.ofSeconds(60));
        ReplicaRecommender r = new ReplicaRecommender();
        assertThat(r.next(T0, 1, 500, true, s)).isEqualTo(1);
        assertThat(r.next(at(15), 1, 4200, true, s)).as("a spike alone").isEqualTo(1);
        assertThat(r.next(at(30), 1, 4200, true, s)).isEqualTo(1);
        assertThat(r.next(at(45), 1, 4200, true, s))
                .as("high for the whole up window")
                .isEqualTo(5);
    }

    @Test
    void aPodThatDidNotAnswerNeverLetsTheFleetShrink() {
        ReplicaRecommender r = new ReplicaRecommender();
        for (int i = 0; i < 10; i++) {
            assertThat(r.next(at(15L * i), 4, 100, false, S)).isEqualTo(4);
        }
        assertThat(r.next(at(150), 4, 6000, false, S)).as("but it may grow").isEqualTo(6);
    }

    @Test
    void aRestartedOperatorWatchesAWholeDownWindowBeforeItShrinks() {
        ReplicaRecommender r = new ReplicaRecommender();
        assertThat(r.next(T0, 5, 100, true, S)).isEqualTo(5);
        assertThat(r.next(at(45), 5, 100, true, S)).isEqualTo(5);
        assertThat(r.next(at(60), 5, 100, true, S)).isEqualTo(1);
    }

    @Test
    void replicasOutsideMinAndMaxAreBroughtInsideAtOnce() {
        assertThat(new ReplicaRecommender().next(T0, 9, 100, true, S)).isEqualTo(6);
        assertThat(new ReplicaRecommender().next(T0, 0, 0, true, S)).isEqualTo(1);
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
