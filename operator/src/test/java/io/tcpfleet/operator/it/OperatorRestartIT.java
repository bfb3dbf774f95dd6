package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A new operator process takes over the status it finds: no condition flips, no transition time moves. */
@ExtendWith(ClusterExtension.class)
class OperatorRestartIT {

    @Test
    void statusSurvivesAnOperatorRestartWithoutFlapping(KubernetesClient client, TestNamespace ns) throws Exception {
        SharedOperator.shared();
        TcpServices.create(client, ns.name(), "steady", s -> s.setReplicas(2));
        awaitCondition(client, ns.name(), "steady", Condition.READY, Condition.TRUE);
        TcpService before = awaitCondition(client, ns.name(), "steady", Condition.PROGRESSING, Condition.FALSE);

        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        try (Watch watch = TcpServices.get(client, ns.name(), "steady").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, TcpService t) {
                seen.add(
                        String.valueOf(TcpServices.condition(t, Condition.READY).getStatus()));
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            String settled = TcpServices.get(client, ns.name(), "steady")
                    .get()
                    .getMetadata()
                    .getResourceVersion();
            OperatorProcess op = SharedOperator.restart(() -> {});
            assertThat(SharedOperator.lastStopWasClean)
                    .as("the old operator exited on SIGTERM by itself")
                    .isTrue();
            // The new operator reconciles every TcpService when it starts; finding the status it would
            // write already there, it must write nothing.
            TcpServices.await("the new operator reconciled steady")
                    .until(() -> op.get("/q/metrics")
                            .map(r -> r.body()
                                    .lines()
                                    .anyMatch(l -> l.startsWith("reconciliations_success_total")
                                            && l.contains("namespace=\"" + ns.name() + "\"")))
                            .orElse(false));
            assertThat(TcpServices.get(client, ns.name(), "steady")
                            .get()
                            .getMetadata()
                            .getResourceVersion())
                    .as("status is patched only when it changed")
                    .isEqualTo(settled);
        }
        TcpService after = TcpServices.get(client, ns.name(), "steady").get();
        assertThat(seen).as("Ready as seen by a watcher across the restart").allMatch(Condition.TRUE::equals);
        List<String> transitions = new ArrayList<>();
        for (Condition c : before.getStatus().getConditions()) {
            Condition now = TcpServices.condition(after, c.getType());
            assertThat(now.getStatus()).as(c.getType()).isEqualTo(c.getStatus());
            transitions.add(c.getType() + "@" + now.getLastTransitionTime());
            assertThat(now.getLastTransitionTime()).as(c.getType()).isEqualTo(c.getLastTransitionTime());
        }
        assertThat(transitions)
                .as("Ready, Progressing, Degraded, Reconciling, Stalled, Monitoring, Alerting, SettingsWarning")
                .hasSize(8);
    }
}
