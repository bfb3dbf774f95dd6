package io.tcpfleet.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.load.LoadConfig;
import io.tcpfleet.e2e.load.LoadCounters;
import io.tcpfleet.e2e.rollout.Fleet;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.PodTemplate;
import io.tcpfleet.e2e.rollout.Replica;
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kill -9 of one of three replicas under busy load: nothing drains, the client must recover by itself. */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class KillNineE2E {

    private static final LoadConfig LOAD = LoadConfig.defaults()
            .withConnections(30)
            .withPayloadBytes(512)
            .withThink(Duration.ZERO, Duration.ofMillis(20))
            .withRequestTimeout(Duration.ofSeconds(3));

    @Test
    void killedReplicaLosesNoAcknowledgedRequestAndFailuresAreBoundedByWhatWasInFlight(
            KubernetesClient client, TestNamespace ns) {
        PodTemplate template =
                Scenario.template(client, ns, TcpServices.echo("echo", 3, Loopback.freePort(), "1s", "2s", ""));
        try (Fleet fleet = Scenario.fleet("kill-9");
                LoadClient load = new LoadClient(LOAD, fleet.endpoints())) {
            fleet.scaleTo(template, 3);
            load.start();
            Scenario.awaitMoreOk(load, 300);
            LoadCounters.Snapshot before = load.counters();

            Replica victim = fleet.replicas().get(0);
            // Readiness (period 1 s, 3 failures) plus propagation before the endpoint goes: ~3.3 s.
            fleet.crash(victim, Duration.ofMillis(3300));
            Awaitility.await("endpoint of the killed replica removed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !fleet.endpoints().contains(victim.endpoint()));
            Scenario.awaitMoreOk(load, 300);
            LoadCounters.Snapshot seen = load.stop(Duration.ofSeconds(30));
            Results.record(
                    "kill -9 under load",
                    "1 of 3 replicas SIGKILLed under " + LOAD.connections()
                            + " busy connections; endpoint removed 3.3 s later",
                    seen.summary());

            assertThat(seen.resets())
                    .as("the client saw the crash: " + seen.summary())
                    .isGreaterThan(before.resets());
            assertThat(seen.connects()).as("it reconnected: " + seen.summary()).isGreaterThan(before.connects());
            assertThat(seen.requestsFailed())
                    .as("at most one request in flight per connection: " + seen.summary())
                    .isLessThanOrEqualTo(LOAD.connections());
            assertThat(seen.bytesLost()).isEqualTo(seen.requestsFailed() * LOAD.payloadBytes());
            assertThat(seen.bytesVerified())
                    .as("every acknowledged request was verified in full")
                    .isEqualTo(seen.requestsOk() * LOAD.payloadBytes());
            assertThat(seen.corruptResponses()).isZero();
        }
    }
}
