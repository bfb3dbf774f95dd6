package io.tcpfleet.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.Loopback;
import io.tcpfleet.e2e.rollout.OperatorLogsOnFailure;
import io.tcpfleet.e2e.rollout.OperatorUnderTest;
import io.tcpfleet.e2e.rollout.PodTemplate;
import io.tcpfleet.e2e.rollout.Results;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API server the operator talks to is restarted; its watches must recover and see a change made meanwhile. */
@ExtendWith({ClusterExtension.class, OperatorLogsOnFailure.class})
class ApiServerRestartE2E {

    @Test
    void operatorWatchesRecoverAfterTheApiServerRestartsAndAChangeIsReconciled(
            KubernetesClient client, TestNamespace ns) {
        OperatorUnderTest.installCrd();
        // Only an operator behind the private API server may reconcile this namespace: no shared one of ours runs.
        OperatorUnderTest.stopShared();
        int port = Loopback.freePort();
        TcpServices tcps = new TcpServices(client, ns.name());
        try (PrivateApiServer api = PrivateApiServer.startBeside();
                OperatorProcess operator = OperatorUnderTest.start(api.kubeconfig(), ns.name(), ns.name())) {
            tcps.apply(TcpServices.echo("api", 1, port, "1s", "2s", ""));
            PodTemplate before = tcps.awaitTemplate("api", null);

            double reconcilesBefore = operator.reconciliations();
            long start = System.nanoTime();
            api.restart(() -> tcps.apply(TcpServices.echo("api", 1, port, "1s", "3s", "")));
            long downMillis = (System.nanoTime() - start) / 1_000_000;
            PodTemplate after = tcps.awaitTemplate("api", before.configHash());
            long convergedMillis = (System.nanoTime() - start) / 1_000_000;
            org.awaitility.Awaitility.await("this operator reconciled after the restart")
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> operator.reconciliations() > reconcilesBefore);
            double reconcilesAfter = operator.reconciliations();
            Results.record(
                    "kube-apiserver restarted",
                    "the operator's API server (a second apiserver on the same etcd)"
                            + " stopped with SIGTERM, drain.timeout changed 2s -> 3s while it was down, then started",
                    "apiserver back after " + downMillis + "ms; change reconciled " + convergedMillis
                            + "ms after the stop (TCPFLEET_DRAIN_TIMEOUT="
                            + after.env().get("TCPFLEET_DRAIN_TIMEOUT")
                            + "); the operator's reconciles " + (long) reconcilesBefore + " -> "
                            + (long) reconcilesAfter);

            assertThat(after.env()).containsEntry("TCPFLEET_DRAIN_TIMEOUT", "3s");
        }
    }
}
