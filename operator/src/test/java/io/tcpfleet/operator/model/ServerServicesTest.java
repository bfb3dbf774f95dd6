package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerServicesTest {

    @Test
    void trafficServiceExposesOnlyTheTcpPort() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setPort(7001);
        Service s = ServerServices.traffic(tcps);
        assertThat(s.getMetadata().getName()).isEqualTo("echo");
        assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("tcp");
            assertThat(p.getPort()).isEqualTo(7001);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("tcp"));
        });
        assertThat(s.getSpec().getSelector()).isEqualTo(Map.of("tcpfleet.io/service", "echo"));
        assertThat(s.getSpec().getExternalTrafficPolicy())
                .as("not allowed on ClusterIP")
                .isNull();
        assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "tcpfleet-operator");
    }

    @Test
    void loadBalancerCarriesPolicyAndAnnotations() {
        TcpService tcps = TestTcpServices.named("echo");
        ServiceSpec spec = new ServiceSpec();
        spec.setType(ServiceSpec.Type.LoadBalancer);
        spec.setExternalTrafficPolicy(ServiceSpec.ExternalTrafficPolicy.Local);
        spec.setAnnotations(Map.of("lb.example/internal", "true"));
        tcps.getSpec().setService(spec);
        Service s = ServerServices.traffic(tcps);
        assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(s.getMetadata().getAnnotations()).containsEntry("lb.example/internal", "true");
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("tcp");
    }

    @Test
    void metricsServiceIsHeadlessOnTheAdminPort() {
        Service s = ServerServices.metrics(TestTcpServices.named("echo"));
        assertThat(s.getMetadata().getName()).isEqualTo("echo-metrics");
        assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(s.getSpec().getClusterIP()).as("no virtual IP to allocate").isEqualTo("None");
        assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getPort()).isEqualTo(9090);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("admin"));
        });
        assertThat(s.getMetadata().getLabels())
                .containsEntry("tcpfleet.io/component", "metrics")
                .containsEntry("tcpfleet.io/service", "echo");
    }
}
