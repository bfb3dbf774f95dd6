package io.tcpfleet.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.reconciler.EventRecorder;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events as the real API server keeps them: a repeat is the same object with a higher count, as client-go's
 * recorder writes them, so `kubectl describe` says "(x3 over ...)" instead of listing three lines; the operator
 * pod is named as the reporting instance.
 */
@ExtendWith(ClusterExtension.class)
class EventRecorderIT {

    /** A reason no operator writes, so an operator of another test reconciling the same TcpService adds no noise. */
    private static final String REASON = "EventRecorderIT";

    @BeforeAll
    static void crd() {
        TestCluster.installTcpServiceCrd();
        OperatorRbac.install();
    }

    /** As the operator's ServiceAccount, with deploy/rbac's rights and no more (create and patch on events). */
    private static KubernetesClient asOperator(KubernetesClient admin) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(admin.getConfiguration())
                        .withImpersonateUsername(OperatorRbac.USER)
                        .build())
                .build();
    }

    private static List<Event> recorded(KubernetesClient client, TestNamespace ns) {
        return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> REASON.equals(e.getReason()))
                .toList();
    }

    @Test
    void aRepeatedEventIsOneObjectWhoseCountGoesUp(KubernetesClient client, TestNamespace ns) {
        TcpService tcps = TcpServices.create(client, ns.name(), "echo", s -> s.setReplicas(1));
        EventRecorder events = new EventRecorder("tcpfleet-operator-7d9f-abcde");

        try (KubernetesClient operator = asOperator(client)) {
            for (int i = 0; i < 3; i++) {
                events.record(operator, tcps, "Warning", REASON, "pod echo-1: ImagePullBackOff");
            }
            events.record(operator, tcps, "Warning", REASON, "pod echo-1: CrashLoopBackOff");
        }

        assertThat(recorded(client, ns))
                .as("one object per distinct message")
                .hasSize(2)
                .filteredOn(e -> e.getMessage().endsWith("ImagePullBackOff"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getCount()).isEqualTo(3);
                    assertThat(e.getLastTimestamp()).isGreaterThanOrEqualTo(e.getFirstTimestamp());
                    assertThat(e.getReportingInstance()).isEqualTo("tcpfleet-operator-7d9f-abcde");
                    assertThat(e.getSource().getHost()).isEqualTo("tcpfleet-operator-7d9f-abcde");
                    assertThat(e.getInvolvedObject().getUid())
                            .isEqualTo(tcps.getMetadata().getUid());
                });
    }

    @Test
    void aRepeatOfAnEventThatExpiredIsWrittenAgainWithItsCount(KubernetesClient client, TestNamespace ns) {
        TcpService tcps = TcpServices.create(client, ns.name(), "echo", s -> s.setReplicas(1));
        EventRecorder events = new EventRecorder("tcpfleet-operator-7d9f-abcde");
        events.record(client, tcps, "Normal", REASON, "Updated Deployment echo");
        events.record(client, tcps, "Normal", REASON, "Updated Deployment echo");
        // What the API server's event TTL does after an hour.
        client.v1().events().inNamespace(ns.name()).resources().forEach(e -> {
            if (REASON.equals(e.get().getReason())) {
                e.delete();
            }
        });

        events.record(client, tcps, "Normal", REASON, "Updated Deployment echo");

        assertThat(recorded(client, ns))
                .singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(3));
    }
}
