package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Without the Prometheus Operator the service still runs; installing its CRD later is picked up live. */
@ExtendWith(ClusterExtension.class)
class ServiceMonitorIT {

    @Test
    void skippedWithoutTheCrdThenCreatedOnceItIsInstalled(KubernetesClient client, TestNamespace ns) {
        // A fresh operator that has never seen the CRD, on a cluster without it.
        OperatorProcess op = SharedOperator.restart(() -> TestCluster.removeServiceMonitorCrd(client));
        TcpServices.create(client, ns.name(), "scraped", s -> s.setReplicas(1));

        TcpService skipped = awaitCondition(client, ns.name(), "scraped", Condition.READY, Condition.TRUE);
        await("monitoring reported skipped")
                .until(() -> "ServiceMonitorCrdMissing"
                        .equals(TcpServices.condition(
                                        TcpServices.get(client, ns.name(), "scraped")
                                                .get(),
                                        Condition.MONITORING)
                                .getReason()));
        assertThat(client.services()
                        .inNamespace(ns.name())
                        .withName("scraped-metrics")
                        .get())
                .isNotNull();
        await("Warning event")
                .until(() -> TcpServiceLifecycleIT.events(ns.name(), "scraped").contains("MonitoringSkipped"));
        assertThat(TcpServiceLifecycleIT.events(ns.name(), "scraped")).contains("Warning");
        String readySince = TcpServices.condition(skipped, Condition.READY).getLastTransitionTime();

        // Waiting for the CRD costs nothing: once its children settle, the TcpService is not requeued
        // to look for the CRD again (the CRD's watch brings it back).
        awaitCondition(client, ns.name(), "scraped", Condition.PROGRESSING, Condition.FALSE);
        double[] lastSeen = {-1};
        await("25 s without a reconcile")
                .during(Duration.ofSeconds(25))
                .atMost(Duration.ofSeconds(90))
                .until(() -> {
                    double now = reconcilesStarted(op, ns);
                    boolean unchanged = now == lastSeen[0];
                    lastSeen[0] = now;
                    return unchanged;
                });

        TestCluster.installServiceMonitorCrd(client);
        await("ServiceMonitor created without restarting the operator").until(() -> serviceMonitor(client, ns) != null);
        GenericKubernetesResource sm = serviceMonitor(client, ns);
        assertThat(sm.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("TcpService"));
        assertThat(sm.getMetadata().getLabels()).containsEntry("tcpfleet.io/service", "scraped");
        TcpService enabled = awaitCondition(client, ns.name(), "scraped", Condition.MONITORING, Condition.TRUE);
        assertThat(TcpServices.condition(enabled, Condition.READY).getLastTransitionTime())
                .isEqualTo(readySince);
        assertThat(TcpServiceLifecycleIT.events(ns.name(), "scraped")).contains("MonitoringEnabled");
    }

    /** JOSDK's reconciliations_started_total for the test's namespace, from the operator's /q/metrics. */
    private static double reconcilesStarted(OperatorProcess op, TestNamespace ns) {
        return op.get("/q/metrics")
                .orElseThrow()
                .body()
                .lines()
                .filter(l ->
                        l.startsWith("reconciliations_started_total") && l.contains("namespace=\"" + ns.name() + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static GenericKubernetesResource serviceMonitor(KubernetesClient client, TestNamespace ns) {
        return client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(ns.name())
                .withName("scraped")
                .get();
    }
}
