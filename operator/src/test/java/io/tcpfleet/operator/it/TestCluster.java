package io.tcpfleet.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tcpfleet.testkit.LocalCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/** CRDs the tests install on the local control plane, applied server-side and awaited until Established. */
final class TestCluster {

    /** The committed CRD: what users install is what the tests run against. */
    static final Path TCPSERVICE_CRD = Path.of("..", "crds", "tcpservices.tcpfleet.io-v1.yml");

    static final String SERVICE_MONITOR_CRD_NAME = "servicemonitors.monitoring.coreos.com";
    static final String PROMETHEUS_RULE_CRD_NAME = "prometheusrules.monitoring.coreos.com";

    private TestCluster() {}

    static void installTcpServiceCrd() {
        try (KubernetesClient client = LocalCluster.shared().newClient();
                InputStream in = Files.newInputStream(TCPSERVICE_CRD)) {
            apply(client, Serialization.unmarshal(in, CustomResourceDefinition.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TCPSERVICE_CRD.toAbsolutePath(), e);
        }
    }

    static void installServiceMonitorCrd(KubernetesClient client) {
        applyResource(client, "/servicemonitor-crd.yaml");
    }

    static void removeServiceMonitorCrd(KubernetesClient client) {
        remove(client, SERVICE_MONITOR_CRD_NAME);
    }

    static void installPrometheusRuleCrd(KubernetesClient client) {
        applyResource(client, "/prometheusrule-crd.yaml");
    }

    static void removePrometheusRuleCrd(KubernetesClient client) {
        remove(client, PROMETHEUS_RULE_CRD_NAME);
    }

    private static void applyResource(KubernetesClient client, String resource) {
        try (InputStream in = TestCluster.class.getResourceAsStream(resource)) {
            apply(client, Serialization.unmarshal(in, CustomResourceDefinition.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void remove(KubernetesClient client, String crdName) {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crdName)
                .delete();
        Awaitility.await(crdName + " gone")
                .atMost(Duration.ofMinutes(1))
                .until(() -> client.apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .withName(crdName)
                                .get()
                        == null);
    }

    private static void apply(KubernetesClient client, CustomResourceDefinition crd) {
        crd.getMetadata().setResourceVersion(null);
        client.resource(crd).fieldManager("tcpfleet-it").forceConflicts().serverSideApply();
        Awaitility.await(crd.getMetadata().getName() + " Established")
                .atMost(Duration.ofMinutes(1))
                .until(() -> {
                    CustomResourceDefinition c = client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crd.getMetadata().getName())
                            .get();
                    return c != null
                            && c.getStatus() != null
                            && c.getStatus().getConditions().stream()
                                    .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
                });
    }
}
