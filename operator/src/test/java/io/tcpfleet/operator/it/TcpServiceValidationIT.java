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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server itself refuses bad TcpServices, with a message that names the field; what it admits, the
 * operator can turn into children the API server accepts (the one test that runs the operator).
 */
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
                        "spec.pod.labels must not set tcpfleet.io/service"),
                Arguments.of("tls without secretName", Map.of("tls", Map.of()), "spec.tls.secretName: Required value"),
                Arguments.of(
                        "tls secretName that is not a DNS subdomain",
                        Map.of("tls", Map.of("secretName", "Echo_TLS")),
                        "spec.tls.secretName: Invalid value"),
                Arguments.of(
                        "tls secretName beyond 253 characters",
                        Map.of("tls", Map.of("secretName", "s".repeat(254))),
                        "spec.tls.secretName: Too long"),
                Arguments.of(
                        "clientCA without the tls Secret",
                        Map.of("tls", Map.of("clientCA", Map.of("secretName", "clients-ca"))),
                        "spec.tls.secretName: Required value"),
                Arguments.of(
                        "clientCA without secretName",
                        Map.of("tls", Map.of("secretName", "echo-tls", "clientCA", Map.of("key", "ca.crt"))),
                        "spec.tls.clientCA.secretName: Required value"),
                Arguments.of(
                        "clientCA key '..'",
                        Map.of(
                                "tls",
                                Map.of("secretName", "echo-tls", "clientCA", Map.of("secretName", "ca", "key", ".."))),
                        "spec.tls.clientCA.key: Invalid value"),
                Arguments.of(
                        "clientCA key with a slash",
                        Map.of(
                                "tls",
                                Map.of(
                                        "secretName",
                                        "echo-tls",
                                        "clientCA",
                                        Map.of("secretName", "ca", "key", "../tls/tls.key"))),
                        "spec.tls.clientCA.key: Invalid value"),
                Arguments.of(
                        "minVersion TLSv1.1",
                        Map.of("tls", Map.of("secretName", "echo-tls", "minVersion", "TLSv1.1")),
                        "spec.tls.minVersion: Unsupported value"),
                Arguments.of(
                        "cipher in OpenSSL's spelling",
                        Map.of(
                                "tls",
                                Map.of("secretName", "echo-tls", "ciphers", List.of("ECDHE-RSA-AES128-GCM-SHA256"))),
                        "spec.tls.ciphers: each must be an IANA cipher suite name"),
                Arguments.of(
                        "ciphers as one comma-separated string",
                        Map.of(
                                "tls",
                                Map.of(
                                        "secretName",
                                        "echo-tls",
                                        "ciphers",
                                        List.of("TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384"))),
                        "spec.tls.ciphers: each must be an IANA cipher suite name"),
                Arguments.of(
                        "tls handshake timeout 0",
                        Map.of("tls", Map.of("secretName", "echo-tls", "handshakeTimeout", "0s")),
                        "spec.tls.handshakeTimeout: Invalid value"),
                Arguments.of(
                        "proxy protocol mode On",
                        Map.of("proxyProtocol", Map.of("mode", "On")),
                        "spec.proxyProtocol.mode: Unsupported value"),
                Arguments.of(
                        "proxy protocol mode as a YAML boolean",
                        Map.of("proxyProtocol", Map.of("mode", true)),
                        "spec.proxyProtocol.mode: Invalid value"),
                Arguments.of(
                        "proxy protocol timeout 0",
                        Map.of("proxyProtocol", Map.of("mode", "Required", "timeout", "0")),
                        "spec.proxyProtocol.timeout: Invalid value"),
                Arguments.of(
                        "upstream proxy protocol on echo",
                        Map.of("upstream", Map.of("host", "redis", "port", 6379, "proxyProtocol", "V2")),
                        "spec.upstream is only allowed when spec.handler is proxy"),
                Arguments.of(
                        "upstream tls on echo",
                        Map.of("upstream", Map.of("host", "redis", "port", 6379, "tls", Map.of("enabled", true))),
                        "spec.upstream is only allowed when spec.handler is proxy"),
                Arguments.of(
                        "upstream proxy protocol V1",
                        Map.of(
                                "handler",
                                "proxy",
                                "upstream",
                                Map.of("host", "redis", "port", 6379, "proxyProtocol", "V1")),
                        "spec.upstream.proxyProtocol: Unsupported value"),
                Arguments.of(
                        "upstream CA without upstream tls enabled",
                        Map.of(
                                "handler",
                                "proxy",
                                "upstream",
                                Map.of(
                                        "host",
                                        "redis",
                                        "port",
                                        6379,
                                        "tls",
                                        Map.of("caSecret", Map.of("name", "db-ca")))),
                        "spec.upstream.tls.caSecret and serverName need spec.upstream.tls.enabled: true"),
                Arguments.of(
                        "upstream CA Secret without a name",
                        Map.of(
                                "handler",
                                "proxy",
                                "upstream",
                                Map.of(
                                        "host",
                                        "redis",
                                        "port",
                                        6379,
                                        "tls",
                                        Map.of("enabled", true, "caSecret", Map.of("key", "ca.crt")))),
                        "spec.upstream.tls.caSecret.name: Required value"),
                Arguments.of(
                        "upstream server name with a space",
                        Map.of(
                                "handler",
                                "proxy",
                                "upstream",
                                Map.of(
                                        "host",
                                        "redis",
                                        "port",
                                        6379,
                                        "tls",
                                        Map.of("enabled", true, "serverName", "redis example"))),
                        "spec.upstream.tls.serverName: Invalid value"),
                Arguments.of(
                        "max age jitter above 50%",
                        Map.of("connections", Map.of("maxAge", "10m", "maxAgeJitterPercent", 51)),
                        "spec.connections.maxAgeJitterPercent: Invalid value"),
                Arguments.of(
                        "negative max age jitter",
                        Map.of("connections", Map.of("maxAge", "10m", "maxAgeJitterPercent", -1)),
                        "spec.connections.maxAgeJitterPercent: Invalid value"),
                Arguments.of(
                        "negative max age",
                        Map.of("connections", Map.of("maxAge", "-10m")),
                        "spec.connections.maxAge: Invalid value"),
                Arguments.of(
                        "max age below a second",
                        Map.of("connections", Map.of("maxAge", "500ms")),
                        "must be 0 (off) or at least 1s"),
                Arguments.of(
                        "max age beyond 64-bit nanoseconds",
                        Map.of("connections", Map.of("maxAge", "9999999999h")),
                        "spec.connections.maxAge: Invalid value"),
                Arguments.of(
                        "max age grace without max age",
                        Map.of("connections", Map.of("maxAgeGrace", "30s")),
                        "spec.connections.maxAgeGrace needs spec.connections.maxAge"),
                Arguments.of(
                        "max age grace with max age 0s",
                        Map.of("connections", Map.of("maxAge", "0s", "maxAgeGrace", "30s")),
                        "spec.connections.maxAgeGrace needs spec.connections.maxAge"),
                Arguments.of(
                        "max age grace in words",
                        Map.of("connections", Map.of("maxAge", "10m", "maxAgeGrace", "half a minute")),
                        "spec.connections.maxAgeGrace: Invalid value"),
                Arguments.of(
                        "negative drain close rate",
                        Map.of("drain", Map.of("closeRate", -1)),
                        "spec.drain.closeRate: Invalid value"),
                Arguments.of(
                        "autoscaling without its maximum",
                        Map.of("autoscaling", Map.of("targetConnectionsPerPod", 1000)),
                        "spec.autoscaling.maxReplicas: Required value"),
                Arguments.of(
                        "autoscaling without its target",
                        Map.of("autoscaling", Map.of("maxReplicas", 5)),
                        "spec.autoscaling.targetConnectionsPerPod: Required value"),
                Arguments.of(
                        "autoscaling minimum above its maximum",
                        Map.of(
                                "autoscaling",
                                Map.of("minReplicas", 6, "maxReplicas", 5, "targetConnectionsPerPod", 1000)),
                        "spec.autoscaling.minReplicas must be at most spec.autoscaling.maxReplicas"),
                Arguments.of(
                        "autoscaling to zero pods",
                        Map.of(
                                "autoscaling",
                                Map.of("minReplicas", 0, "maxReplicas", 5, "targetConnectionsPerPod", 1000)),
                        "spec.autoscaling.minReplicas: Invalid value"),
                Arguments.of(
                        "autoscaling target above what a pod accepts",
                        Map.of(
                                "connections",
                                Map.of("max", 500),
                                "autoscaling",
                                Map.of("maxReplicas", 5, "targetConnectionsPerPod", 1000)),
                        "spec.autoscaling.targetConnectionsPerPod must be at most spec.connections.max"),
                Arguments.of(
                        "autoscaling window in words",
                        Map.of(
                                "autoscaling",
                                Map.of(
                                        "maxReplicas",
                                        5,
                                        "targetConnectionsPerPod",
                                        1000,
                                        "scaleDownStabilization",
                                        "ten minutes")),
                        "spec.autoscaling.scaleDownStabilization: Invalid value"),
                Arguments.of(
                        "rebalance rate of zero",
                        Map.of("rebalance", Map.of("connectionsPerSecond", 0)),
                        "spec.rebalance.connectionsPerSecond: Invalid value"),
                Arguments.of(
                        "rebalance cooldown in words",
                        Map.of("rebalance", Map.of("cooldown", "five minutes")),
                        "spec.rebalance.cooldown: Invalid value"),
                Arguments.of(
                        "rebalance with a volume named as the operator's podinfo",
                        Map.of(
                                "rebalance",
                                Map.of(),
                                "pod",
                                Map.of("volumes", List.of(Map.of("name", "tcpfleet-podinfo", "emptyDir", Map.of())))),
                        "spec.pod.volumes: with spec.rebalance the name tcpfleet-podinfo is the operator's"));
    }

    /**
     * What the API server or the kubelet would refuse in a child (Deployment, pod, Services, PDB,
     * ServiceMonitor, PrometheusRule) is refused on the TcpService already, naming its field.
     */
    static Stream<Arguments> specsWhoseChildrenWouldBeRefused() {
        return Stream.of(
                Arguments.of(
                        "upper-case image path", Map.of("image", "tcpfleet/Server:1.0"), "spec.image: Invalid value"),
                Arguments.of("image with a space", Map.of("image", "tcpfleet server"), "spec.image: Invalid value"),
                Arguments.of(
                        "image name beyond 255 characters",
                        Map.of("image", "a".repeat(256) + ":1"),
                        "spec.image: Invalid value"),
                Arguments.of(
                        "handler beyond 63 characters", Map.of("handler", "h".repeat(64)), "spec.handler: Too long"),
                Arguments.of(
                        "pod label key with a space",
                        Map.of("pod", Map.of("labels", Map.of("bad key", "x"))),
                        "spec.pod.labels: Invalid value"),
                Arguments.of(
                        "pod label value beyond 63 characters",
                        Map.of("pod", Map.of("labels", Map.of("team", "v".repeat(64)))),
                        "spec.pod.labels.team: Too long"),
                Arguments.of(
                        "pod label value with a space",
                        Map.of("pod", Map.of("labels", Map.of("team", "a b"))),
                        "spec.pod.labels: Invalid value"),
                Arguments.of(
                        "pod annotation key starting with '-'",
                        Map.of("pod", Map.of("annotations", Map.of("-leading", "x"))),
                        "spec.pod.annotations: Invalid value"),
                Arguments.of(
                        "pod annotations beyond 256 KiB with the operator's",
                        Map.of("pod", Map.of("annotations", Map.of("big", "x".repeat(261120)))),
                        "annotations must total at most 256 KiB"),
                Arguments.of(
                        "service annotation key with two slashes",
                        Map.of("service", Map.of("annotations", Map.of("a/b/c", "x"))),
                        "spec.service.annotations: Invalid value"),
                Arguments.of(
                        "monitoring label value starting with '-'",
                        Map.of("monitoring", Map.of("labels", Map.of("release", "-prom"))),
                        "spec.monitoring.labels: Invalid value"),
                Arguments.of(
                        "scrape interval a ServiceMonitor refuses (units out of order)",
                        Map.of("monitoring", Map.of("interval", "30s5m")),
                        "spec.monitoring.interval: Invalid value"),
                Arguments.of(
                        "drain timeout beyond 64-bit nanoseconds",
                        Map.of("drain", Map.of("timeout", "9999999999h")),
                        "spec.drain.timeout: Invalid value"),
                Arguments.of(
                        "node selector key ending in '/'",
                        Map.of("pod", Map.of("nodeSelector", Map.of("kubernetes.io/", "x"))),
                        "spec.pod.nodeSelector: Invalid value"),
                Arguments.of(
                        "cpu limit that is no quantity",
                        Map.of("resources", Map.of("limits", Map.of("cpu", "lots"))),
                        "spec.resources: limits and requests must be quantities"),
                Arguments.of(
                        "negative memory request",
                        Map.of("resources", Map.of("requests", Map.of("memory", "-1Mi"))),
                        "spec.resources: limits and requests must be quantities"),
                Arguments.of(
                        "request above its limit",
                        Map.of("resources", Map.of("requests", Map.of("cpu", "2"), "limits", Map.of("cpu", "1500m"))),
                        "spec.resources: each request must be at most its limit"),
                Arguments.of(
                        "unknown resource name",
                        Map.of("resources", Map.of("limits", Map.of("gpu", "1"))),
                        "spec.resources: limits and requests may name cpu, memory and ephemeral-storage"),
                Arguments.of(
                        "resource claim the pod does not declare",
                        Map.of("resources", Map.of("claims", List.of(Map.of("name", "gpu")))),
                        "spec.resources.claims is not supported"),
                Arguments.of(
                        "maxUnavailable above 100%",
                        Map.of("disruption", Map.of("maxUnavailable", "150%")),
                        "spec.disruption.maxUnavailable: Invalid value"),
                Arguments.of(
                        "minAvailable in words",
                        Map.of("disruption", Map.of("minAvailable", "half")),
                        "spec.disruption.minAvailable: Invalid value"),
                Arguments.of(
                        "negative minAvailable",
                        Map.of("disruption", Map.of("minAvailable", -1)),
                        "spec.disruption.minAvailable: Invalid value"),
                Arguments.of(
                        "env name with a space",
                        Map.of("pod", Map.of("env", List.of(Map.of("name", "MY VAR", "value", "1")))),
                        "spec.pod.env[].name is required"),
                Arguments.of(
                        "env with value and valueFrom",
                        Map.of(
                                "pod",
                                Map.of(
                                        "env",
                                        List.of(Map.of(
                                                "name",
                                                "NODE",
                                                "value",
                                                "x",
                                                "valueFrom",
                                                Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")))))),
                        "spec.pod.env[]: value and valueFrom are mutually exclusive"),
                Arguments.of(
                        "env from a field the kubelet does not expose",
                        Map.of(
                                "pod",
                                Map.of(
                                        "env",
                                        List.of(Map.of(
                                                "name",
                                                "C",
                                                "valueFrom",
                                                Map.of("fieldRef", Map.of("fieldPath", "spec.containers")))))),
                        "spec.pod.env[].valueFrom.fieldRef.fieldPath"),
                Arguments.of(
                        "env from a ConfigMap without a key",
                        Map.of(
                                "pod",
                                Map.of(
                                        "env",
                                        List.of(Map.of(
                                                "name",
                                                "C",
                                                "valueFrom",
                                                Map.of("configMapKeyRef", Map.of("name", "settings")))))),
                        "spec.pod.env[].valueFrom.configMapKeyRef and secretKeyRef need a name and a key"),
                Arguments.of(
                        "toleration operator Like",
                        Map.of("pod", Map.of("tolerations", List.of(Map.of("key", "k", "operator", "Like")))),
                        "spec.pod.tolerations[]: operator must be Exists or Equal"),
                Arguments.of(
                        "toleration Exists with a value",
                        Map.of(
                                "pod",
                                Map.of("tolerations", List.of(Map.of("key", "k", "operator", "Exists", "value", "v")))),
                        "spec.pod.tolerations[]: Exists takes no value"),
                Arguments.of(
                        "topology spread whenUnsatisfiable Maybe",
                        Map.of(
                                "pod",
                                Map.of(
                                        "topologySpreadConstraints",
                                        List.of(Map.of(
                                                "maxSkew",
                                                1,
                                                "topologyKey",
                                                "kubernetes.io/hostname",
                                                "whenUnsatisfiable",
                                                "Maybe")))),
                        "spec.pod.topologySpreadConstraints[]"),
                Arguments.of(
                        "pod anti-affinity term without a topologyKey",
                        Map.of(
                                "pod",
                                Map.of(
                                        "affinity",
                                        Map.of(
                                                "podAntiAffinity",
                                                Map.of(
                                                        "requiredDuringSchedulingIgnoredDuringExecution",
                                                        List.of(Map.of(
                                                                "labelSelector",
                                                                Map.of("matchLabels", Map.of("app", "x")))))))),
                        "spec.pod.affinity.podAntiAffinity: every term needs a topologyKey"),
                Arguments.of(
                        "preferred pod affinity of weight 0",
                        Map.of(
                                "pod",
                                Map.of(
                                        "affinity",
                                        Map.of(
                                                "podAffinity",
                                                Map.of(
                                                        "preferredDuringSchedulingIgnoredDuringExecution",
                                                        List.of(Map.of(
                                                                "weight",
                                                                0,
                                                                "podAffinityTerm",
                                                                Map.of("topologyKey", "kubernetes.io/hostname"))))))),
                        "spec.pod.affinity.podAffinity: every term needs a topologyKey"),
                Arguments.of(
                        "node affinity operator Like",
                        Map.of(
                                "pod",
                                Map.of(
                                        "affinity",
                                        Map.of(
                                                "nodeAffinity",
                                                Map.of(
                                                        "requiredDuringSchedulingIgnoredDuringExecution",
                                                        Map.of(
                                                                "nodeSelectorTerms",
                                                                List.of(Map.of(
                                                                        "matchExpressions",
                                                                        List.of(Map.of(
                                                                                "key",
                                                                                "zone",
                                                                                "operator",
                                                                                "Like",
                                                                                "values",
                                                                                List.of("a")))))))))),
                        "spec.pod.affinity.nodeAffinity: required needs at least one nodeSelectorTerm, operators"),
                Arguments.of(
                        "priority class name with '_'",
                        Map.of("pod", Map.of("priorityClassName", "high_priority")),
                        "spec.pod.priorityClassName: Invalid value"),
                Arguments.of(
                        "upstream host label beyond 63 characters",
                        Map.of(
                                "handler",
                                "proxy",
                                "upstream",
                                Map.of("host", "h".repeat(64) + ".db.svc", "port", 6379)),
                        "spec.upstream.host: Invalid value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specsWhoseChildrenWouldBeRefused")
    void refusedBeforeAChildIsRefused(
            String why, Map<String, Object> spec, String expected, KubernetesClient client, TestNamespace ns) {
        refusedNamingTheField(why, spec, expected, client, ns);
    }

    /** Valid names for a custom resource, but not for the Services named after it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a234567890123456789012345678901234567890123456789012345x", "1fleet", "fleet.one"})
    void refusedNamesTheServicesCouldNotTake(String name, KubernetesClient client, TestNamespace ns) {
        assertThatThrownBy(() -> create(client, ns, name, Map.of()))
                .as(name)
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("metadata.name must be a DNS-1035 label of at most 55 characters");
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
        assertThat(spec.get("drain")).isEqualTo(Map.of("delay", "5s", "timeout", "30s", "closeRate", 0));
        assertThat(spec.get("connections"))
                .isEqualTo(Map.of(
                        "max",
                        10000,
                        "idleTimeout",
                        "5m",
                        "keepalive",
                        Map.of("idle", "60s", "interval", "10s", "count", 3),
                        "maxAge",
                        "0",
                        "maxAgeJitterPercent",
                        10));
        assertThat(spec.get("proxyProtocol")).isEqualTo(Map.of("mode", "Disabled", "timeout", "5s"));
        assertThat(spec).doesNotContainKey("tls");
    }

    @Test
    void tlsProxyProtocolAgeAndPacedDrainAreAcceptedAndDefaulted(KubernetesClient client, TestNamespace ns) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("handler", "proxy");
        spec.put(
                "upstream",
                Map.of(
                        "host",
                        "redis.db.svc",
                        "port",
                        6380,
                        "proxyProtocol",
                        "V2",
                        "tls",
                        Map.of(
                                "enabled",
                                true,
                                "caSecret",
                                Map.of("name", "db-ca"),
                                "serverName",
                                "redis.example.com")));
        spec.put(
                "tls",
                Map.of(
                        "secretName",
                        "front-tls",
                        "clientCA",
                        Map.of("secretName", "front-tls"),
                        "ciphers",
                        List.of(
                                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")));
        spec.put("proxyProtocol", Map.of("mode", "Required"));
        spec.put("connections", Map.of("maxAge", "1h", "maxAgeGrace", "1m"));
        spec.put("drain", Map.of("closeRate", 100));
        spec.put("autoscaling", Map.of("maxReplicas", 8, "targetConnectionsPerPod", 2000));
        spec.put("rebalance", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> created = (Map<String, Object>)
                create(client, ns, "tls", spec).getAdditionalProperties().get("spec");
        assertThat(created.get("tls"))
                .isEqualTo(Map.of(
                        "secretName",
                        "front-tls",
                        "clientCA",
                        Map.of("secretName", "front-tls", "key", "ca.crt"),
                        "ciphers",
                        List.of(
                                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                        "minVersion",
                        "TLSv1.2",
                        "handshakeTimeout",
                        "10s"));
        assertThat(created.get("proxyProtocol")).isEqualTo(Map.of("mode", "Required", "timeout", "5s"));
        assertThat(created.get("upstream"))
                .isEqualTo(Map.of(
                        "host",
                        "redis.db.svc",
                        "port",
                        6380,
                        "connectTimeout",
                        "2s",
                        "proxyProtocol",
                        "V2",
                        "tls",
                        Map.of(
                                "enabled",
                                true,
                                "caSecret",
                                Map.of("name", "db-ca", "key", "ca.crt"),
                                "serverName",
                                "redis.example.com")));
        @SuppressWarnings("unchecked")
        Map<String, Object> connections = (Map<String, Object>) created.get("connections");
        assertThat(connections)
                .containsEntry("maxAge", "1h")
                .containsEntry("maxAgeJitterPercent", 10)
                .containsEntry("maxAgeGrace", "1m");
        assertThat(created.get("autoscaling"))
                .isEqualTo(Map.of(
                        "minReplicas",
                        1,
                        "maxReplicas",
                        8,
                        "targetConnectionsPerPod",
                        2000,
                        "buffer",
                        0,
                        "scaleUpStabilization",
                        "0s",
                        "scaleDownStabilization",
                        "5m"));
        assertThat(created.get("rebalance"))
                .as("{} turns it on with EMQX's thresholds")
                .isEqualTo(Map.of(
                        "absoluteThreshold",
                        1000,
                        "relativeThresholdPercent",
                        10,
                        "connectionsPerSecond",
                        100,
                        "readyFor",
                        "3m",
                        "cooldown",
                        "5m"));
    }

    /** examples/ as users apply them: admitted by the CRD (server-side dry run, nothing is created). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"echo.yaml", "proxy.yaml", "tls/tcpservice.yaml"})
    void theExamplesAreAdmitted(String file, KubernetesClient client, TestNamespace ns) throws Exception {
        GenericKubernetesResource example;
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("..", "examples", file))) {
            example = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, GenericKubernetesResource.class);
        }
        example.getMetadata().setNamespace(ns.name());
        assertThat(client.resource(example).dryRun().create().getMetadata().getName())
                .isEqualTo(example.getMetadata().getName());
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

    /**
     * Every admission bound at its edge: the longest name, the longest label keys and values, annotations
     * filling 256 KiB, a request equal to its limit... admitted, and every child the operator derives from
     * it accepted by the API server, up to a Ready fleet.
     */
    @Test
    void theLargestValidTcpServiceGetsEveryChild(KubernetesClient client, TestNamespace ns) {
        TestCluster.installServiceMonitorCrd(client);
        TestCluster.installPrometheusRuleCrd(client);
        SharedOperator.shared();
        String name = "a" + "0123456789".repeat(5) + "bcde";
        String labelKey = "k".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(61) + "/"
                + "n".repeat(63);
        String labelValue = "V" + "-_.".repeat(20) + "9x";
        String serviceAnnotationKey = "service.beta.kubernetes.io/aws-load-balancer-extra";
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", SharedOperator.TEST_IMAGE);
        spec.put("handler", "echo");
        // The largest duration CEL and the server parse (64-bit nanoseconds), units in any order.
        spec.put("connections", Map.of("idleTimeout", "47m16s2562047h854ms"));
        spec.put("drain", Map.of("delay", "1s", "timeout", "2s"));
        spec.put(
                "service",
                Map.of(
                        "annotations",
                        Map.of(serviceAnnotationKey, "x".repeat(262144 - serviceAnnotationKey.length()))));
        spec.put("disruption", Map.of("minAvailable", "100%"));
        spec.put("monitoring", Map.of("interval", "1h2m3s4ms", "labels", Map.of(labelKey, labelValue)));
        spec.put(
                "resources",
                Map.of(
                        "requests", Map.of("cpu", "10m", "memory", "64Mi"),
                        "limits", Map.of("cpu", "10m", "memory", "512Mi")));
        spec.put(
                "pod",
                Map.of(
                        "labels",
                        Map.of(labelKey, labelValue, "empty", ""),
                        "annotations",
                        Map.of("Example.COM/Note", "y".repeat(261120 - "Example.COM/Note".length())),
                        "nodeSelector",
                        // Fake nodes: the boundary is in the objects, not in a JVM started on 10m of CPU.
                        Map.of("type", "kwok"),
                        "tolerations",
                        List.of(
                                Map.of("key", "example.com/maintenance", "operator", "Exists", "effect", "NoSchedule"),
                                Map.of(
                                        "key",
                                        "dedicated",
                                        "value",
                                        "tcp",
                                        "effect",
                                        "NoExecute",
                                        "tolerationSeconds",
                                        60)),
                        "affinity",
                        Map.of(
                                "podAntiAffinity",
                                Map.of(
                                        "preferredDuringSchedulingIgnoredDuringExecution",
                                        List.of(Map.of(
                                                "weight",
                                                100,
                                                "podAffinityTerm",
                                                Map.of(
                                                        "topologyKey",
                                                        "kubernetes.io/hostname",
                                                        "labelSelector",
                                                        Map.of("matchLabels", Map.of("tcpfleet.io/service", name))))))),
                        "topologySpreadConstraints",
                        List.of(Map.of(
                                "maxSkew",
                                1,
                                "topologyKey",
                                "kubernetes.io/hostname",
                                "whenUnsatisfiable",
                                "ScheduleAnyway",
                                "labelSelector",
                                Map.of("matchLabels", Map.of("tcpfleet.io/service", name)))),
                        "env",
                        List.of(
                                Map.of("name", "my.setting-1_", "value", "v"),
                                Map.of(
                                        "name",
                                        "POD_NAME",
                                        "valueFrom",
                                        Map.of(
                                                "fieldRef",
                                                Map.of("fieldPath", "metadata.labels['tcpfleet.io/service']"))),
                                Map.of(
                                        "name",
                                        "MEMORY",
                                        "valueFrom",
                                        Map.of(
                                                "resourceFieldRef",
                                                Map.of("containerName", "server", "resource", "limits.memory"))))));
        assertThat(name).hasSize(55);
        assertThat(labelKey).hasSize(317);
        assertThat(labelValue).hasSize(63);

        create(client, ns, name, spec);

        TcpServices.awaitCondition(client, ns.name(), name, "Ready", "True");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns.name())
                        .withName(name)
                        .get())
                .isNotNull();
        assertThat(client.services()
                        .inNamespace(ns.name())
                        .withName(name)
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsKey(serviceAnnotationKey);
        assertThat(client.services()
                        .inNamespace(ns.name())
                        .withName(name + "-metrics")
                        .get())
                .isNotNull();
        assertThat(client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(ns.name())
                        .withName(name)
                        .get())
                .isNotNull();
        TcpServices.await("ServiceMonitor and PrometheusRule " + name)
                .until(() -> client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                                        .inNamespace(ns.name())
                                        .withName(name)
                                        .get()
                                != null
                        && client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
                                        .inNamespace(ns.name())
                                        .withName(name)
                                        .get()
                                != null);
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
