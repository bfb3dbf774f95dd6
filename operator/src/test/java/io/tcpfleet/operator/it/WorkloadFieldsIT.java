package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.Rollout;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spec.pod.imagePullSecrets, serviceAccountName, volumes, volumeMounts and spec.rollout against the
 * real API server: what would make the Deployment or its pods be refused is refused at admission,
 * naming the field; a TcpService using all of them gets a Deployment the API server accepts and
 * pods that carry them (on the local cluster's kwok nodes).
 */
@ExtendWith(ClusterExtension.class)
class WorkloadFieldsIT {

    private static final Map<String, Object> CONFIG_MAP_VOLUME =
            Map.of("name", "plugins", "configMap", Map.of("name", "line-ping-plugin"));
    private static final Map<String, Object> PLUGINS_MOUNT =
            Map.of("name", "plugins", "mountPath", "/opt/tcpfleet/plugins");

    @BeforeAll
    static void crdInstalled() {
        TestCluster.installTcpServiceCrd();
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("maxSurge 0", rollout(Map.of("maxSurge", 0)), "spec.rollout.maxSurge must be at least 1"),
                Arguments.of(
                        "maxSurge 0%", rollout(Map.of("maxSurge", "0%")), "spec.rollout.maxSurge must be at least 1"),
                Arguments.of("maxSurge not a percentage", rollout(Map.of("maxSurge", "many")), "spec.rollout.maxSurge"),
                Arguments.of(
                        "maxUnavailable 1 would drop capacity",
                        rollout(Map.of("maxUnavailable", 1)),
                        "spec.rollout.maxUnavailable must be 0"),
                Arguments.of(
                        "maxUnavailable 25% would drop capacity",
                        rollout(Map.of("maxUnavailable", "25%", "maxSurge", "25%")),
                        "spec.rollout.maxUnavailable must be 0"),
                Arguments.of(
                        "maxSurge 0 and maxUnavailable 0 would never roll",
                        rollout(Map.of("maxSurge", 0, "maxUnavailable", 0)),
                        "spec.rollout.maxSurge must be at least 1"),
                Arguments.of(
                        "a volume named tmp",
                        pod(Map.of("volumes", List.of(Map.of("name", "tmp", "emptyDir", Map.of())))),
                        "the name tmp is reserved"),
                Arguments.of(
                        "a volume named as the operator's TLS Secret volume",
                        pod(Map.of("volumes", List.of(Map.of("name", "tcpfleet-tls", "emptyDir", Map.of())))),
                        "are reserved for the operator's Secret volumes"),
                Arguments.of(
                        "a mount over the operator's Secrets",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(Map.of("name", "plugins", "mountPath", "/etc/tcpfleet/tls")))),
                        "/etc/tcpfleet is the operator's"),
                Arguments.of(
                        "a mount at the operator's Secrets' parent",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(Map.of("name", "plugins", "mountPath", "/etc/tcpfleet")))),
                        "/etc/tcpfleet is the operator's"),
                Arguments.of(
                        "two volumes of one name",
                        pod(Map.of("volumes", List.of(CONFIG_MAP_VOLUME, CONFIG_MAP_VOLUME))),
                        "spec.pod.volumes[1]: Duplicate value"),
                Arguments.of(
                        "a volume name that is not a DNS label",
                        pod(Map.of("volumes", List.of(Map.of("name", "Plugins", "emptyDir", Map.of())))),
                        "spec.pod.volumes[0].name"),
                Arguments.of(
                        "a volume without a name",
                        pod(Map.of("volumes", List.of(Map.of("emptyDir", Map.of())))),
                        "spec.pod.volumes[0].name: Required value"),
                Arguments.of(
                        "a mount of a volume that is not there",
                        pod(Map.of("volumeMounts", List.of(PLUGINS_MOUNT))),
                        "spec.pod.volumeMounts: every mount must name a volume of spec.pod.volumes"),
                Arguments.of(
                        "a mount over the operator's /tmp",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(Map.of("name", "plugins", "mountPath", "/tmp")))),
                        "/tmp is the operator's"),
                Arguments.of(
                        "a relative mount path",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(Map.of("name", "plugins", "mountPath", "plugins")))),
                        "mountPath must be an absolute path"),
                Arguments.of(
                        "a mount without a path",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(Map.of("name", "plugins")))),
                        "spec.pod.volumeMounts[0].mountPath: Required value"),
                Arguments.of(
                        "two mounts at one path",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(PLUGINS_MOUNT, PLUGINS_MOUNT))),
                        "spec.pod.volumeMounts[1]: Duplicate value"),
                Arguments.of(
                        "a subPath that climbs out",
                        pod(Map.of(
                                "volumes",
                                List.of(CONFIG_MAP_VOLUME),
                                "volumeMounts",
                                List.of(Map.of("name", "plugins", "mountPath", "/opt/x", "subPath", "a/../../etc")))),
                        "subPath must be a relative path without '..'"),
                Arguments.of(
                        "a pull secret without a name",
                        pod(Map.of("imagePullSecrets", List.of(Map.of()))),
                        "spec.pod.imagePullSecrets[0].name: Required value"),
                Arguments.of(
                        "a pull secret name no Secret can have",
                        pod(Map.of("imagePullSecrets", List.of(Map.of("name", "Reg_Cred")))),
                        "spec.pod.imagePullSecrets[0].name"),
                Arguments.of(
                        "a ServiceAccount name no ServiceAccount can have",
                        pod(Map.of("serviceAccountName", "Echo Server")),
                        "spec.pod.serviceAccountName"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void refusedNamingTheField(
            String why, Map<String, Object> spec, String expected, KubernetesClient client, TestNamespace ns) {
        assertThatThrownBy(() -> client.resource(new GenericKubernetesResourceBuilder()
                                .withApiVersion("tcpfleet.io/v1alpha1")
                                .withKind("TcpService")
                                .withNewMetadata()
                                .withName("bad")
                                .withNamespace(ns.name())
                                .endMetadata()
                                .addToAdditionalProperties("spec", spec)
                                .build())
                        .create())
                .as(why)
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(expected);
    }

    @Test
    void aTcpServiceUsingThemGetsADeploymentAndPodsThatCarryThem(KubernetesClient client, TestNamespace ns) {
        SharedOperator.shared();
        client.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("echo-server")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .build())
                .create();
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("line-ping-plugin")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .addToBinaryData("line-ping.jar", "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==")
                        .build())
                .create();
        TcpServices.create(client, ns.name(), "knobs", s -> {
            s.setReplicas(2);
            PodOverrides pod = new PodOverrides();
            pod.setImagePullSecrets(List.of(new LocalObjectReference("regcred")));
            pod.setServiceAccountName("echo-server");
            pod.setVolumes(List.of(
                    new VolumeBuilder()
                            .withName("plugins")
                            .withNewConfigMap()
                            .withName("line-ping-plugin")
                            .endConfigMap()
                            .build(),
                    // The token the pods do not get by default, for a plugin that calls an API.
                    new VolumeBuilder()
                            .withName("token")
                            .withNewProjected()
                            .addNewSource()
                            .withNewServiceAccountToken()
                            .withPath("token")
                            .withExpirationSeconds(3600L)
                            .endServiceAccountToken()
                            .endSource()
                            .endProjected()
                            .build()));
            pod.setVolumeMounts(List.of(
                    new VolumeMountBuilder()
                            .withName("plugins")
                            .withMountPath("/opt/tcpfleet/plugins")
                            .withReadOnly(true)
                            .build(),
                    new VolumeMountBuilder()
                            .withName("token")
                            .withMountPath("/var/run/secrets/tokens")
                            .withReadOnly(true)
                            .build()));
            s.setPod(pod);
            Rollout rollout = new Rollout();
            rollout.setMaxSurge(new IntOrString("50%"));
            s.setRollout(rollout);
        });

        TcpServices.awaitCondition(client, ns.name(), "knobs", Condition.READY, Condition.TRUE);
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("knobs")
                .get();
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
                .isEqualTo(new IntOrString("50%"));
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(0));

        List<Pod> pods = client.pods()
                .inNamespace(ns.name())
                .withLabel("tcpfleet.io/service", "knobs")
                .list()
                .getItems();
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            PodSpec spec = p.getSpec();
            assertThat(spec.getServiceAccountName()).isEqualTo("echo-server");
            assertThat(spec.getImagePullSecrets())
                    .extracting(LocalObjectReference::getName)
                    .containsExactly("regcred");
            assertThat(spec.getVolumes()).extracting(Volume::getName).contains("tmp", "plugins", "token");
            Container server = spec.getContainers().get(0);
            assertThat(server.getVolumeMounts())
                    .extracting(VolumeMount::getMountPath)
                    .contains("/tmp", "/opt/tcpfleet/plugins", "/var/run/secrets/tokens");
        });
        await("Ready pods")
                .until(
                        () -> client
                                .pods()
                                .inNamespace(ns.name())
                                .withLabel("tcpfleet.io/service", "knobs")
                                .list()
                                .getItems()
                                .stream()
                                .allMatch(p -> p.getStatus().getPhase().equals("Running")));
    }

    private static Map<String, Object> rollout(Map<String, Object> rollout) {
        return Map.of("rollout", rollout);
    }

    private static Map<String, Object> pod(Map<String, Object> pod) {
        return Map.of("pod", pod);
    }
}
