package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.ServerServices;
import io.tcpfleet.operator.model.TcpServiceResources;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The metrics Service is headless; one that an earlier operator version gave a ClusterIP keeps it. */
@ExtendWith(ClusterExtension.class)
class MetricsServiceIT {

    @Test
    void theMetricsServiceIsHeadlessAndListsThePods(KubernetesClient client, TestNamespace ns) {
        SharedOperator.shared();
        TcpServices.create(client, ns.name(), "fresh", s -> s.setReplicas(2));
        awaitCondition(client, ns.name(), "fresh", Condition.READY, Condition.TRUE);
        assertThat(metricsService(client, ns, "fresh").getSpec().getClusterIP()).isEqualTo("None");
        // What Prometheus reads for a ServiceMonitor: the endpoints of the metrics Service.
        await("both pods behind fresh-metrics")
                .until(() -> client
                                .discovery()
                                .v1()
                                .endpointSlices()
                                .inNamespace(ns.name())
                                .withLabel("kubernetes.io/service-name", "fresh-metrics")
                                .list()
                                .getItems()
                                .stream()
                                .mapToLong(slice -> slice.getEndpoints() == null
                                        ? 0
                                        : slice.getEndpoints().size())
                                .sum()
                        == 2);
    }

    @Test
    void aMetricsServiceWithAClusterIpKeepsItAcrossAnUpgrade(KubernetesClient client, TestNamespace ns) {
        // As an earlier operator version left it: applied by the operator's field manager, with a ClusterIP.
        SharedOperator.shared(); // the TcpService CRD installed
        SharedOperator.restart(() -> {
            TcpService tcps = TcpServices.create(client, ns.name(), "legacy", s -> s.setReplicas(1));
            Service earlier = ServerServices.metrics(tcps, true);
            earlier.getMetadata()
                    .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                            .withApiVersion(tcps.getApiVersion())
                            .withKind(tcps.getKind())
                            .withName("legacy")
                            .withUid(tcps.getMetadata().getUid())
                            .withController(true)
                            .withBlockOwnerDeletion(true)
                            .build()));
            client.resource(earlier)
                    .fieldManager(TcpServiceResources.OPERATOR_NAME)
                    .forceConflicts()
                    .serverSideApply();
        });
        String clusterIp = metricsService(client, ns, "legacy").getSpec().getClusterIP();
        assertThat(clusterIp).isNotEqualTo("None");

        awaitCondition(client, ns.name(), "legacy", Condition.READY, Condition.TRUE);
        TcpService settled = awaitCondition(client, ns.name(), "legacy", Condition.PROGRESSING, Condition.FALSE);
        assertThat(TcpServices.condition(settled, Condition.DEGRADED).getStatus())
                .isEqualTo(Condition.FALSE);
        assertThat(metricsService(client, ns, "legacy").getSpec().getClusterIP())
                .isEqualTo(clusterIp);
    }

    private static Service metricsService(KubernetesClient client, TestNamespace ns, String tcps) {
        return client.services()
                .inNamespace(ns.name())
                .withName(tcps + "-metrics")
                .get();
    }
}
