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
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.rollout.TcpfleetReplica;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The two ends of a drain: idle connections closed at once, a busy one cut at the deadline and counted forced. */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class DrainDeadlineE2E {

    @Test
    void idleLongLivedConnectionsAreClosedEarlyAndTheClientReconnects(KubernetesClient client, TestNamespace ns) {
        PodTemplate template =
                Scenario.template(client, ns, TcpServices.echo("idle", 2, Loopback.freePort(), "1s", "20s", ""));
        LoadConfig idleClients =
                LoadConfig.defaults().withConnections(20).withThink(Duration.ofSeconds(4), Duration.ofSeconds(6));
        try (Fleet fleet = Scenario.fleet("drain-idle");
                LoadClient load = new LoadClient(idleClients, fleet.endpoints())) {
            fleet.scaleTo(template, 2);
            load.start();
            Scenario.awaitMoreOk(load, 20);

            Fleet.Termination end = fleet.terminate(fleet.replicas().get(0), template.gracePeriod());
            Scenario.awaitMoreOk(load, 20);
            LoadCounters.Snapshot seen = load.stop(Duration.ofSeconds(30));
            Results.record(
                    "idle connections during drain",
                    "1 of 2 replicas drained (delay 1s, timeout 20s) with " + idleClients.connections()
                            + " mostly idle connections; old replica: " + end.describe(),
                    seen.summary());

            assertThat(end.cleanWithinGrace()).as(end.toString()).isTrue();
            assertThat(end.preStopExit()).as("preStop drain hook: " + end).hasValue(0);
            assertThat(end.elapsed())
                    .as("idle connections do not wait for drain.timeout")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(seen.serverCloses()).as(seen.summary()).isPositive();
            assertThat(seen.connects())
                    .as("closed connections came back: " + seen.summary())
                    .isGreaterThan(idleClients.connections());
            assertThat(seen.requestsFailed()).as(seen.summary()).isZero();
            assertThat(seen.refusals()).as(seen.summary()).isZero();
        }
    }

    @Test
    void aConnectionThatNeverFinishesIsForceClosedAtTheDeadlineAndCountedForced(
            KubernetesClient client, TestNamespace ns) throws Exception {
        PodTemplate template =
                Scenario.template(client, ns, TcpServices.echo("forced", 1, Loopback.freePort(), "1s", "2s", ""));
        try (Fleet fleet = Scenario.fleet("drain-forced")) {
            TcpfleetReplica server = (TcpfleetReplica) fleet.surge(template);
            try (Socket busy = Scenario.connect(server.endpoint())) {
                CompletableFuture<Long> cutAfter = CompletableFuture.supplyAsync(() -> chatter(busy));

                long start = System.nanoTime();
                Fleet.Termination end = fleet.terminate(server, template.gracePeriod());
                long cutMillis = cutAfter.get(30, TimeUnit.SECONDS) - TimeUnit.NANOSECONDS.toMillis(start);
                String drainAnswer = Files.readString(Path.of(server.log() + ".prestop"));
                Results.record(
                        "never-finishing connection",
                        "1 connection echoing a byte every 100 ms through a drain" + " (delay 1s, timeout 2s)",
                        "cut " + cutMillis + "ms after the drain began; /drain answered "
                                + drainAnswer.strip().replace('\n', ' ') + "; old replica: " + end.describe());

                assertThat(cutMillis).as("kept until delay + timeout").isGreaterThanOrEqualTo(2_900);
                assertThat(end.cleanWithinGrace()).as(end.toString()).isTrue();
                assertThat(end.preStopExit()).as("preStop drain hook: " + end).hasValue(0);
                assertThat(drainAnswer)
                        .as("the server's forced count (its /metrics counter)")
                        .contains("\"forced\":1");
            }
        }
    }

    /** Writes a byte every 100 ms and reads it back until the server cuts the connection; when that happened. */
    private static long chatter(Socket s) {
        try {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            while (true) {
                out.write('x');
                out.flush();
                if (in.read() < 0) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (IOException e) {
            // reset: cut as well
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
