package io.tcpfleet.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** deploy/rbac grants what the code needs (per the generated role) and nothing beyond it. */
class RbacIT {

    static final Path GENERATED = Path.of("target", "kubernetes", "kubernetes.yml");

    @BeforeAll
    static void installed() {
        TestCluster.installTcpServiceCrd();
        OperatorRbac.install();
    }

    @Test
    void everyKindTheCodeTouchesIsGranted() throws IOException {
        Set<String> committed = kinds(OperatorRbac.load().stream()
                .filter(ClusterRole.class::isInstance)
                .map(ClusterRole.class::cast)
                .toList());
        Set<String> generated;
        try (KubernetesClient client = LocalCluster.shared().newClient();
                InputStream in = Files.newInputStream(GENERATED)) {
            generated = kinds(client.load(in).items().stream()
                    .filter(ClusterRole.class::isInstance)
                    .map(ClusterRole.class::cast)
                    .filter(r -> r.getMetadata().getName().equals("tcpservice-cluster-role"))
                    .toList());
        }
        assertThat(generated)
                .as("the role generated from the code, " + GENERATED)
                .isNotEmpty();
        assertThat(committed)
                .as(
                        "deploy/rbac/clusterrole.yaml lacks kinds the code now touches: add them with the least verbs that work")
                .containsAll(generated);
    }

    private static Set<String> kinds(List<ClusterRole> roles) {
        return roles.stream()
                .flatMap(r -> r.getRules().stream())
                .flatMap((PolicyRule rule) -> rule.getApiGroups().stream()
                        .flatMap(g -> rule.getResources().stream().map(res -> g + "/" + res)))
                .collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0} {1} in {2}: {3}")
    @CsvSource({
        "watch, tcpservices.tcpfleet.io, apps, yes",
        "patch, tcpservices.tcpfleet.io --subresource=status, apps, yes",
        "update, tcpservices.tcpfleet.io --subresource=scale, apps, yes",
        "patch, tcpservices.tcpfleet.io --subresource=scale, apps, no",
        "create, deployments.apps, apps, yes",
        "patch, deployments.apps, apps, yes",
        "create, events, apps, yes",
        "patch, events, apps, yes",
        "delete, events, apps, no",
        "update, leases.coordination.k8s.io, tcpfleet-system, yes",
        "update, tcpservices.tcpfleet.io, apps, no",
        "delete, deployments.apps, apps, no",
        "delete, services, apps, no",
        "get, secrets, apps, no",
        "get, pods, apps, yes",
        "list, pods, apps, yes",
        "watch, pods, apps, yes",
        "patch, pods, apps, yes",
        "update, pods, apps, no",
        "create, pods, apps, no",
        "delete, pods, apps, no",
        "patch, pods --subresource=status, apps, no",
        "get, pods --subresource=log, apps, no",
        "update, leases.coordination.k8s.io, kube-system, no",
        "get, customresourcedefinitions.apiextensions.k8s.io/tcpservices.tcpfleet.io, '', no",
        "create, prometheusrules.monitoring.coreos.com, apps, yes",
        "patch, prometheusrules.monitoring.coreos.com, apps, yes",
        "delete, prometheusrules.monitoring.coreos.com, apps, yes",
        "update, prometheusrules.monitoring.coreos.com, apps, no",
    })
    void theOperatorMayDoWhatItNeedsAndNoMore(String verb, String resource, String namespace, String expected) {
        assertThat(canI(verb, resource, namespace))
                .as(String.join(" ", verb, resource, namespace))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
        "watch, customresourcedefinitions.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com, yes",
        "list, customresourcedefinitions.apiextensions.k8s.io/prometheusrules.monitoring.coreos.com, yes",
        "get, customresourcedefinitions.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com, yes",
        "watch, customresourcedefinitions.apiextensions.k8s.io/alertmanagers.monitoring.coreos.com, no",
        "list, customresourcedefinitions.apiextensions.k8s.io, no",
        "watch, customresourcedefinitions.apiextensions.k8s.io, no",
    })
    void itMayWatchTheServiceMonitorAndPrometheusRuleCrdsButNoOtherCrd(String verb, String resource, String expected) {
        assertThat(canI(verb, resource, "")).as(verb + " " + resource).isEqualTo(expected);
    }

    /** kubectl auth can-i as the operator's ServiceAccount; its answer is the line yes or no (warnings aside). */
    private static String canI(String verb, String resource, String namespace) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("auth", "can-i", verb));
        args.addAll(java.util.List.of(resource.split(" ")));
        if (!namespace.isEmpty()) {
            args.addAll(java.util.List.of("-n", namespace));
        }
        args.add("--as=" + OperatorRbac.USER);
        Processes.Result r = Kubectl.admin().run(args.toArray(String[]::new));
        return r.output()
                .lines()
                .map(String::trim)
                .filter(l -> l.equals("yes") || l.equals("no"))
                .findFirst()
                .orElse(r.output());
    }
}
