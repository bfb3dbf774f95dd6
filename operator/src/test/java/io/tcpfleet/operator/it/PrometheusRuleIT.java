package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-service alerts follow the ServiceMonitor's rules: without the PrometheusRule CRD the service
 * still runs and the skip is reported; installing the CRD later is picked up live. Whether an earlier
 * test left the CRD installed does not matter: it is removed while the operator is stopped.
 */
@ExtendWith(ClusterExtension.class)
class PrometheusRuleIT {

    @Test
    void skippedWithoutTheCrdThenCreatedOnceItIsInstalled(KubernetesClient client, TestNamespace ns) {
        // A fresh operator that has never seen the CRD, on a cluster without it.
        SharedOperator.restart(() -> TestCluster.removePrometheusRuleCrd(client));
        TcpServices.create(client, ns.name(), "alerted", s -> s.setReplicas(1));

        TcpService skipped = awaitCondition(client, ns.name(), "alerted", Condition.READY, Condition.TRUE);
        await("alerting reported skipped")
                .until(() -> "PrometheusRuleCrdMissing"
                        .equals(TcpServices.condition(
                                        TcpServices.get(client, ns.name(), "alerted")
                                                .get(),
                                        Condition.ALERTING)
                                .getReason()));
        assertThat(TcpServices.condition(
                                TcpServices.get(client, ns.name(), "alerted").get(), Condition.ALERTING)
                        .getMessage())
                .startsWith("monitoring skipped");
        await("Warning event")
                .until(() -> TcpServiceLifecycleIT.events(ns.name(), "alerted").contains("AlertingSkipped"));
        String readySince = TcpServices.condition(skipped, Condition.READY).getLastTransitionTime();

        TestCluster.installPrometheusRuleCrd(client);
        await("PrometheusRule created without restarting the operator").until(() -> prometheusRule(client, ns) != null);
        GenericKubernetesResource rule = prometheusRule(client, ns);
        assertThat(rule.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("TcpService");
            assertThat(r.getName()).isEqualTo("alerted");
            assertThat(r.getController()).isTrue();
        });
        assertThat(rule.getMetadata().getLabels())
                .containsEntry("tcpfleet.io/service", "alerted")
                .containsEntry("app.kubernetes.io/managed-by", "tcpfleet-operator");
        assertThat(expressions(rule))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).contains("namespace=\"" + ns.name() + "\""));
        TcpService enabled = awaitCondition(client, ns.name(), "alerted", Condition.ALERTING, Condition.TRUE);
        assertThat(TcpServices.condition(enabled, Condition.READY).getLastTransitionTime())
                .isEqualTo(readySince);
        assertThat(TcpServiceLifecycleIT.events(ns.name(), "alerted")).contains("AlertingEnabled");
    }

    @SuppressWarnings("unchecked")
    private static List<String> expressions(GenericKubernetesResource rule) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>)
                ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups");
        return groups.stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .filter(r -> r.containsKey("alert")) // the recording rule's vector(1) has no series to scope
                .map(r -> String.valueOf(r.get("expr")))
                .toList();
    }

    private static GenericKubernetesResource prometheusRule(KubernetesClient client, TestNamespace ns) {
        return client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
                .inNamespace(ns.name())
                .withName("alerted")
                .get();
    }
}
