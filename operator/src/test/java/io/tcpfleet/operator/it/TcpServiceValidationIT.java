package io.tcpfleet.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.TestNamespace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server itself refuses bad TcpServices, with a message that names the field. No operator needed. */
@ExtendWith(ClusterExtension.class)
class TcpServiceValidationIT {

    @BeforeAll
    static void crdInstalled() {
        TestCluster.installTcpServiceCrd();
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("negative replicas", Map.of("replicas", -1), "spec.replicas"),
                Arguments.of("port 0", Map.of("port", 0), "spec.port"),
                Arguments.of("port above 65535", Map.of("port", 70000), "spec.port"),
                Arguments.of(
                        "port is the admin port",
                        Map.of("port", 9090),
                        "spec.port must differ from the admin port 9090"),
                Arguments.of(
                        "proxy without upstream",
                        Map.of("handler", "proxy"),
                        "spec.upstream is required when spec.handler is proxy"),
                Arguments.of(
                        "upstream on echo",
                        Map.of("upstream", Map.of("host", "redis", "port", 6379)),
                        "spec.upstream is only allowed when spec.handler is proxy"),
                Arguments.of(
                        "upstream without host",
                        Map.of("handler", "proxy", "upstream", Map.of("port", 6379)),
                        "spec.upstream.host"),
                Arguments.of(
                        "upstream port 0",
                        Map.of("handler", "proxy", "upstream", Map.of("host", "redis", "port", 0)),
                        "spec.upstream.port"),
                Arguments.of("zero max connections", Map.of("connections", Map.of("max", 0)), "spec.connections.max"),
                Arguments.of(
                        "fractional idle timeout",
                        Map.of("connections", Map.of("idleTimeout", "1.5s")),
                        "spec.connections.idleTimeout"),
                Arguments.of(
                        "keepalive count 0",
                        Map.of("connections", Map.of("keepalive", Map.of("count", 0))),
                        "spec.connections.keepalive.count"),
                Arguments.of(
                        "keepalive idle below a second",
                        Map.of("connections", Map.of("keepalive", Map.of("idle", "1500ms"))),
                        "spec.connections.keepalive.idle"),
                Arguments.of(
                        "keepalive interval 0s",
                        Map.of("connections", Map.of("keepalive", Map.of("interval", "0s"))),
                        "spec.connections.keepalive.interval: Invalid value"),
                Arguments.of(
                        "keepalive idle beyond the kernel's limit",
                        Map.of("connections", Map.of("keepalive", Map.of("idle", "10h"))),
                        "spec.connections.keepalive.idle: Invalid value"),
                Arguments.of(
                        "upstream connect timeout 0",
                        Map.of(
                                "handler",
                                "proxy",
                                "upstream",
                                Map.of("host", "redis", "port", 6379, "connectTimeout", "0")),
                        "spec.upstream.connectTimeout: Invalid value"),
                Arguments.of(
                        "drain timeout in words",
                        Map.of("drain", Map.of("timeout", "30 seconds")),
                        "spec.drain.timeout"),
                Arguments.of("drain delay without unit", Map.of("drain", Map.of("delay", "5")), "spec.drain.delay"),
                Arguments.of(
                        "both disruption bounds",
                        Map.of("disruption", Map.of("minAvailable", 1, "maxUnavailable", 1)),
                        "spec.disruption.minAvailable and spec.disruption.maxUnavailable are mutually exclusive"),
                Arguments.of(
                        "unknown service type", Map.of("service", Map.of("type", "Headless")), "spec.service.type"),
                Arguments.of(
                        "Local policy on ClusterIP",
                        Map.of("service", Map.of("externalTrafficPolicy", "Local")),
                        "spec.service.externalTrafficPolicy Local needs spec.service.type NodePort or LoadBalancer"),
                Arguments.of("handler not a name", Map.of("handler", "Echo_Server"), "spec.handler"),
                Arguments.of(
                        "scrape interval in words",
                        Map.of("monitoring", Map.of("interval", "soon")),
                        "spec.monitoring.interval"),
                Arguments.of(
                        "server env through pod.env",
                        Map.of("pod", Map.of("env", List.of(Map.of("name", "TCPFLEET_PORT", "value", "1")))),
                        "spec.pod.env must not set TCPFLEET_"),
                Arguments.of(
                        "hijacked selector label",
                        Map.of("pod", Map.of("labels", Map.of("tcpfleet.io/service", "other"))),
                        "spec.pod.labels must not set tcpfleet.io/service"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void refusedNamingTheField(
            String why, Map<String, Object> spec, String expected, KubernetesClient client, TestNamespace ns) {
        assertThatThrownBy(() -> create(client, ns, "bad", spec))
                .as(why)
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(expected);
    }

    @Test
    void aMinimalTcpServiceIsAcceptedAndDefaulted(KubernetesClient client, TestNamespace ns) {
        GenericKubernetesResource created = create(client, ns, "minimal", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) created.getAdditionalProperties().get("spec");
        assertThat(spec)
                .containsEntry("replicas", 1)
                .containsEntry("handler", "echo")
                .containsEntry("port", 7000);
        assertThat(spec.get("drain")).isEqualTo(Map.of("delay", "5s", "timeout", "30s"));
        assertThat(spec.get("connections"))
                .isEqualTo(Map.of(
                        "max",
                        10000,
                        "idleTimeout",
                        "5m",
                        "keepalive",
                        Map.of("idle", "60s", "interval", "10s", "count", 3)));
    }

    @Test
    void aFullProxySpecIsAccepted(KubernetesClient client, TestNamespace ns) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("handler", "proxy");
        spec.put("upstream", Map.of("host", "redis.db.svc", "port", 6379, "connectTimeout", "250ms"));
        spec.put("service", Map.of("type", "LoadBalancer", "externalTrafficPolicy", "Local"));
        spec.put("disruption", Map.of("minAvailable", "50%"));
        spec.put("connections", Map.of("idleTimeout", "0"));
        spec.put("drain", Map.of("delay", "1h30m", "timeout", "0s"));
        assertThat(create(client, ns, "full", spec).getMetadata().getUid()).isNotBlank();
    }

    @Test
    void kubectlExplainDocumentsTheFields() {
        Processes.Result explain = Kubectl.admin().run("explain", "tcps.spec.drain");
        assertThat(explain.exitCode()).as(explain.output()).isZero();
        assertThat(explain.output()).contains("delay", "timeout", "Keep accepting", "force-closing");
    }

    private static GenericKubernetesResource create(
            KubernetesClient client, TestNamespace ns, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
                .withApiVersion("tcpfleet.io/v1alpha1")
                .withKind("TcpService")
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns.name())
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
        return client.resource(r).create();
    }
}
