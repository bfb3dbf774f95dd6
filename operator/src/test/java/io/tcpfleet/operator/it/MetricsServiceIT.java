package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The metrics Service is headless and lists the pods, as Prometheus reads it through a ServiceMonitor. */
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

    private static Service metricsService(KubernetesClient client, TestNamespace ns, String tcps) {
        return client.services()
                .inNamespace(ns.name())
                .withName(tcps + "-metrics")
                .get();
    }
}
