package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.Rollout;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import io.tcpfleet.server.config.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server Deployment: drains before it dies, keeps capacity during rollouts, runs at restricted Pod Security.
 * The user's volumes, mounts, pull secrets and ServiceAccount join the pod only when set, so an operator that
 * learns them changes no existing pod template (docs/upgrade.md).
 */
public final class ServerDeployment {

    public static final String DRAIN_COMMAND = "/opt/tcpfleet/bin/drain";
    /** Time for the JVM to exit after the drain ends, on top of drain.delay + the close spread + drain.timeout. */
    public static final long EXIT_MARGIN_SECONDS = 10;
    /** The image's non-root user; restricted Pod Security needs a numeric non-root UID. */
    public static final long RUN_AS_USER = 10001;

    private static final String PODINFO_ANNOTATIONS = "annotations";
    /** 0644, the API server's default for a downward API volume's files. */
    private static final int DOWNWARD_API_DEFAULT_MODE = 0644;
    /** The server's --rebalance-file: the pod's annotations, in the podinfo volume. */
    static final String REBALANCE_FILE = PodOverrides.PODINFO_PATH + "/" + PODINFO_ANNOTATIONS;

    private ServerDeployment() {}

    public static Deployment build(TcpService tcps, String defaultImage) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        List<EnvVar> env = new ArrayList<>(ServerEnvironment.of(spec));
        env.addAll(spec.extraEnv());

        Map<String, String> podLabels = new LinkedHashMap<>();
        PodOverrides pod = spec.pod();
        if (pod.getLabels() != null) {
            podLabels.putAll(pod.getLabels());
        }
        podLabels.putAll(TcpServiceResources.labels(tcps));
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        if (pod.getAnnotations() != null) {
            podAnnotations.putAll(pod.getAnnotations());
        }
        podAnnotations.put(TcpServiceResources.CONFIG_HASH_ANNOTATION, ConfigHash.of(env));

        return new DeploymentBuilder()
                .withMetadata(TcpServiceResources.metadata(tcps, TcpServiceResources.deploymentName(tcps)))
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(TcpServiceResources.selectorLabels(tcps))
                        .build())
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxUnavailable(maxUnavailable(tcps.getSpec().getRollout()))
                .withMaxSurge(maxSurge(tcps.getSpec().getRollout()))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(podAnnotations)
                .endMetadata()
                .withSpec(podSpec(tcps, spec, env, spec.image().orElse(defaultImage)))
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * Whole seconds, rounded up: a grace period must never be shorter than the drain it covers. A paced drain
     * (drain.closeRate) needs connections.max / closeRate seconds more to ask a full pod's connections to go.
     */
    static long terminationGracePeriodSeconds(EffectiveSpec spec) {
        Duration drain = duration("spec.drain.delay", spec.drainDelay())
                .plus(duration("spec.drain.timeout", spec.drainTimeout()));
        long seconds = drain.getNano() > 0 ? drain.getSeconds() + 1 : drain.getSeconds();
        return seconds + closeSpreadSeconds(spec) + EXIT_MARGIN_SECONDS;
    }

    /** ceil(connections.max / drain.closeRate), 0 when the drain is not paced. */
    static long closeSpreadSeconds(EffectiveSpec spec) {
        int rate = spec.drainCloseRate();
        return rate > 0 ? (spec.maxConnections() + (long) rate - 1) / rate : 0;
    }

    /** Parsed as the server parses it; the message names the field, as the reconcile error shows it. */
    private static Duration duration(String field, String text) {
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static PodSpec podSpec(TcpService tcps, EffectiveSpec spec, List<EnvVar> env, String image) {
        PodOverrides pod = spec.pod();
        return new PodSpecBuilder()
                .withTerminationGracePeriodSeconds(terminationGracePeriodSeconds(spec))
                .withEnableServiceLinks(false)
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(RUN_AS_USER)
                        .withRunAsGroup(RUN_AS_USER)
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .build())
                .withContainers(container(spec, env, image))
                .addNewVolume()
                .withName(PodOverrides.TMP_VOLUME)
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .addAllToVolumes(SecretVolumes.volumes(spec))
                .addAllToVolumes(podInfoVolume(spec))
                .addAllToVolumes(orEmpty(pod.getVolumes()))
                .withImagePullSecrets(pod.getImagePullSecrets())
                .withServiceAccountName(pod.getServiceAccountName())
                .withTopologySpreadConstraints(topologySpread(tcps, pod))
                .withNodeSelector(pod.getNodeSelector())
                .withTolerations(pod.getTolerations())
                .withAffinity(pod.getAffinity())
                .withPriorityClassName(pod.getPriorityClassName())
                .build();
    }

    private static Container container(EffectiveSpec spec, List<EnvVar> env, String image) {
        ResourceRequirements resources = spec.resources();
        return new ContainerBuilder()
                .withName(TcpServiceResources.CONTAINER_NAME)
                .withImage(image)
                .addNewPort()
                .withName(TcpServiceResources.TCP_PORT_NAME)
                .withContainerPort(spec.port())
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName(TcpServiceResources.ADMIN_PORT_NAME)
                .withContainerPort(TcpServiceSpec.ADMIN_PORT)
                .withProtocol("TCP")
                .endPort()
                .withEnv(env)
                .withResources(resources)
                // A server that exits at start says why on stderr: the kubelet keeps it as the
                // termination message, which the TcpService's conditions then quote.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withReadinessProbe(httpProbe("/health/ready", 1, 3))
                .withLivenessProbe(httpProbe("/health/live", 10, 6))
                .withNewLifecycle()
                .withNewPreStop()
                .withNewExec()
                .withCommand(DRAIN_COMMAND)
                .endExec()
                .endPreStop()
                .endLifecycle()
                .withSecurityContext(new SecurityContextBuilder()
                        .withAllowPrivilegeEscalation(false)
                        .withReadOnlyRootFilesystem(true)
                        .withRunAsNonRoot(true)
                        .withNewCapabilities()
                        .withDrop("ALL")
                        .endCapabilities()
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .build())
                .addNewVolumeMount()
                .withName(PodOverrides.TMP_VOLUME)
                .withMountPath(PodOverrides.TMP_PATH)
                .endVolumeMount()
                .addAllToVolumeMounts(SecretVolumes.mounts(spec))
                .addAllToVolumeMounts(podInfoMount(spec))
                .addAllToVolumeMounts(orEmpty(spec.pod().getVolumeMounts()))
                .build();
    }

    /**
     * With spec.rebalance, the pod's annotations as the kubelet keeps them up to date, where the server's
     * --rebalance-file reads the operator's requests: no exec into the pod, no API access from it.
     */
    private static List<Volume> podInfoVolume(EffectiveSpec spec) {
        if (spec.rebalance().isEmpty()) {
            return List.of();
        }
        // The API server's defaults written out: items is an atomic list, so server-side apply compares it whole,
        // and a default left out would read as a change at every reconcile (one Deployment patch each).
        return List.of(new VolumeBuilder()
                .withName(PodOverrides.PODINFO_VOLUME)
                .withNewDownwardAPI()
                .withDefaultMode(DOWNWARD_API_DEFAULT_MODE)
                .addNewItem()
                .withPath(PODINFO_ANNOTATIONS)
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("metadata.annotations")
                .endFieldRef()
                .endItem()
                .endDownwardAPI()
                .build());
    }

    private static List<VolumeMount> podInfoMount(EffectiveSpec spec) {
        if (spec.rebalance().isEmpty()) {
            return List.of();
        }
        return List.of(new VolumeMountBuilder()
                .withName(PodOverrides.PODINFO_VOLUME)
                .withMountPath(PodOverrides.PODINFO_PATH)
                .withReadOnly(true)
                .build());
    }

    /** spec.rollout.maxSurge, else 1: a new pod is Ready before an old one drains. */
    private static IntOrString maxSurge(Rollout rollout) {
        return rollout != null && rollout.getMaxSurge() != null
                ? rollout.getMaxSurge()
                : new IntOrString(Rollout.DEFAULT_MAX_SURGE);
    }

    /** spec.rollout.maxUnavailable, which admission holds at 0; else 0. */
    private static IntOrString maxUnavailable(Rollout rollout) {
        return rollout != null && rollout.getMaxUnavailable() != null
                ? rollout.getMaxUnavailable()
                : new IntOrString(Rollout.DEFAULT_MAX_UNAVAILABLE);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list != null ? list : List.of();
    }

    private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(TcpServiceResources.ADMIN_PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** Soft spread across nodes unless the user gave their own constraints. */
    private static List<TopologySpreadConstraint> topologySpread(TcpService tcps, PodOverrides pod) {
        if (pod.getTopologySpreadConstraints() != null
                && !pod.getTopologySpreadConstraints().isEmpty()) {
            return pod.getTopologySpreadConstraints();
        }
        return List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withLabelSelector(new LabelSelectorBuilder()
                        .withMatchLabels(TcpServiceResources.selectorLabels(tcps))
                        .build())
                .build());
    }
}
