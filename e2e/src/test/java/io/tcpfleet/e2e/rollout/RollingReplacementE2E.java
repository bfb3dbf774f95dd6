package io.tcpfleet.e2e.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.load.LoadConfig;
import io.tcpfleet.e2e.load.LoadCounters;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rolling replacement of 3 replicas under continuous load, driven by the pod template the real
 * operator wrote: once with the tcpfleet server (drain in the preStop hook), once with a classic Go
 * echo server that dies on SIGTERM, to prove the client can see what the drain prevents.
 */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class RollingReplacementE2E {

    /** Longer than the server's drain quiet time (1 s): every connection offers an idle moment to close at. */
    static final LoadConfig LOAD = LoadConfig.defaults()
            .withConnections(30)
            .withPayloadBytes(512)
            .withThink(Duration.ofMillis(1200), Duration.ofMillis(1800));
    /**
     * From "pod deleted" to "kube-proxy stopped sending new connections there": the endpoints
     * controller and every node's kube-proxy act after the kubelet has started the preStop hook.
     * A second is short for a real cluster and still inside drain.delay (2 s) below.
     */
    static final Duration PROPAGATION = Duration.ofSeconds(1);

    @Test
    void drainingRolloutLosesNoRequestAndNoByte(KubernetesClient client, TestNamespace ns) {
        Outcome o = rollOut(client, ns, "drain", TcpfleetReplica::start);

        assertThat(o.ends()).hasSize(3).allSatisfy(end -> {
            assertThat(end.preStopExit())
                    .as("the preStop drain hook succeeded: %s", end)
                    .hasValue(0);
            assertThat(end.cleanWithinGrace())
                    .as("old replica exits 0 before its grace period: %s", end)
                    .isTrue();
        });
        LoadCounters.Snapshot seen = o.seen();
        assertThat(seen.requestsFailed()).as(seen.summary()).isZero();
        assertThat(seen.bytesLost()).as(seen.summary()).isZero();
        assertThat(seen.corruptResponses()).as(seen.summary()).isZero();
        assertThat(seen.bytesVerified()).as(seen.summary()).isEqualTo(seen.requestsOk() * LOAD.payloadBytes());
        assertThat(seen.refusals())
                .as("no connection refused: " + seen.summary())
                .isZero();
        assertThat(seen.serverCloses())
                .as("drain closed idle connections: " + seen.summary())
                .isPositive();
    }

    @Test
    void rolloutWithoutDrainIsSeenByTheClient(KubernetesClient client, TestNamespace ns) {
        Outcome o = rollOut(client, ns, "no-drain", GoEchoReplica::start);

        LoadCounters.Snapshot seen = o.seen();
        assertThat(o.ends())
                .hasSize(3)
                .allSatisfy(
                        end -> assertThat(end.exitCode()).as("died of SIGTERM").hasValue(143));
        assertThat(seen.refusals() + seen.resets() + seen.requestsFailed())
                .as("a server without drain refuses or breaks connections: " + seen.summary())
                .isPositive();
        assertThat(seen.corruptResponses()).as(seen.summary()).isZero();
    }

    record Outcome(List<Fleet.Termination> ends, LoadCounters.Snapshot seen) {}

    private static Outcome rollOut(
            KubernetesClient client, TestNamespace ns, String scenario, Fleet.ReplicaFactory servers) {
        OperatorUnderTest.shared();
        TcpServices tcps = new TcpServices(client, ns.name());
        int port = Loopback.freePort();
        tcps.apply(TcpServices.echo("echo", 3, port, "2s", "3s", ""));
        PodTemplate v1 = tcps.awaitTemplate("echo", null);

        try (Fleet fleet = new Fleet(servers, PROPAGATION, Results.logDir(scenario));
                LoadClient load = new LoadClient(LOAD, fleet.endpoints())) {
            fleet.scaleTo(v1, 3);
            load.start();
            awaitMoreOk(load, 60);

            // The user changes the drain timeout: the operator rolls the Deployment.
            tcps.apply(TcpServices.echo("echo", 3, port, "2s", "4s", ""));
            PodTemplate v2 = tcps.awaitTemplate("echo", v1.configHash());
            List<Fleet.Termination> ends = fleet.rollingUpdate(v2);
            awaitMoreOk(load, 60);
            LoadCounters.Snapshot seen = load.stop(Duration.ofSeconds(30));
            Results.record(
                    "rolling replacement, " + scenario,
                    "3 replicas replaced one by one under " + LOAD.connections() + " connections; old replicas: "
                            + ends.stream().map(Fleet.Termination::describe).toList(),
                    seen.summary());
            return new Outcome(ends, seen);
        }
    }

    private static void awaitMoreOk(LoadClient load, long more) {
        long target = load.counters().requestsOk() + more;
        Awaitility.await("load client gets " + more + " more answers")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> load.counters().requestsOk() >= target);
    }
}
