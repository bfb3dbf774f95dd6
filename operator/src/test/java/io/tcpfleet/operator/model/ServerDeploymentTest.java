package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tcpfleet.operator.api.v1alpha1.CaSecret;
import io.tcpfleet.operator.api.v1alpha1.ClientCA;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.Rebalance;
import io.tcpfleet.operator.api.v1alpha1.Rollout;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.Tls;
import io.tcpfleet.operator.api.v1alpha1.Upstream;
import io.tcpfleet.operator.api.v1alpha1.UpstreamTls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerDeploymentTest {

    private static final String IMAGE = "registry.example/tcpfleet-server:1";

    private static Container server(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Deployment d) {
        return server(d).getEnv().stream()
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void rollingUpdateNeverDropsCapacity() {
        Deployment d = ServerDeployment.build(TestTcpServices.named("echo"), IMAGE);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(0));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString(1));
    }

    @Test
    void aLargerSurgeIsTakenAndUnavailableStaysZero() {
        TcpService tcps = TestTcpServices.named("echo");
        Rollout rollout = new Rollout();
        rollout.setMaxSurge(new IntOrString("25%"));
        tcps.getSpec().setRollout(rollout);
        Deployment d = ServerDeployment.build(tcps, IMAGE);
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString("25%"));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(0));
    }

    /**
     * An operator that learns pull secrets, a ServiceAccount and volumes must not roll the fleets that
     * set none of them (docs/upgrade.md): their pod template keeps only the operator's /tmp.
     */
    @Test
    void workloadFieldsLeftUnsetAddNothingToThePodTemplate() {
        Deployment d = ServerDeployment.build(TestTcpServices.named("echo"), IMAGE);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
        assertThat(server(d).getVolumeMounts()).extracting(VolumeMount::getName).containsExactly("tmp");
        String template = new KubernetesSerialization().asJson(d.getSpec().getTemplate());
        assertThat(template).doesNotContain("imagePullSecrets", "serviceAccount");
    }

    @Test
    void pullSecretsServiceAccountAndVolumesReachThePodBesideTheOperatorsTmp() {
        TcpService tcps = TestTcpServices.named("echo");
        PodOverrides pod = new PodOverrides();
        pod.setImagePullSecrets(List.of(new LocalObjectReference("regcred")));
        pod.setServiceAccountName("echo-server");
        pod.setVolumes(List.of(new VolumeBuilder()
                .withName("plugins")
                .withNewConfigMap()
                .withName("line-ping-plugin")
                .endConfigMap()
                .build()));
        pod.setVolumeMounts(List.of(new VolumeMountBuilder()
                .withName("plugins")
                .withMountPath("/opt/tcpfleet/plugins")
                .withReadOnly(true)
                .build()));
        tcps.getSpec().setPod(pod);
        Deployment d = ServerDeployment.build(tcps, IMAGE);
        PodSpec spec = d.getSpec().getTemplate().getSpec();
        assertThat(spec.getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("regcred");
        assertThat(spec.getServiceAccountName()).isEqualTo("echo-server");
        // The token stays unmounted: a pod that needs one mounts a projected token volume.
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getVolumes()).extracting(Volume::getName).containsExactly("tmp", "plugins");
        assertThat(spec.getVolumes().get(1).getConfigMap().getName()).isEqualTo("line-ping-plugin");
        assertThat(server(d).getVolumeMounts())
                .extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tmp", "/tmp"),
                        org.assertj.core.groups.Tuple.tuple("plugins", "/opt/tcpfleet/plugins"));
    }

    @Test
    void rebalanceGivesTheServerThePodsAnnotationsAsAFileAndNothingWithoutIt() {
        TcpService tcps = TestTcpServices.named("echo");
        PodSpec without =
                ServerDeployment.build(tcps, IMAGE).getSpec().getTemplate().getSpec();
        tcps.getSpec().setRebalance(new Rebalance());
        Deployment d = ServerDeployment.build(tcps, IMAGE);
        PodSpec spec = d.getSpec().getTemplate().getSpec();

        assertThat(without.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
        assertThat(without.getContainers().get(0).getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("TCPFLEET_REBALANCE_FILE");
        assertThat(spec.getVolumes()).extracting(Volume::getName).containsExactly("tmp", "tcpfleet-podinfo");
        assertThat(spec.getVolumes().get(1).getDownwardAPI().getItems())
                .singleElement()
                .satisfies(item -> {
                    assertThat(item.getPath()).isEqualTo("annotations");
                    assertThat(item.getFieldRef().getFieldPath()).isEqualTo("metadata.annotations");
                });
        assertThat(server(d).getVolumeMounts())
                .filteredOn(m -> m.getName().equals("tcpfleet-podinfo"))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/etc/tcpfleet/podinfo");
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(server(d).getEnv())
                .contains(new EnvVar("TCPFLEET_REBALANCE_FILE", "/etc/tcpfleet/podinfo/annotations", null));
    }

    @Test
    void namesLabelsAndSelectorComeFromTheTcpService() {
        Deployment d = ServerDeployment.build(TestTcpServices.named("echo"), IMAGE);
        assertThat(d.getMetadata().getName()).isEqualTo("echo");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("apps");
        assertThat(d.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "app.kubernetes.io/name", "tcpfleet-server",
                        "app.kubernetes.io/managed-by", "tcpfleet-operator",
                        "tcpfleet.io/service", "echo"));
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("tcpfleet.io/service", "echo"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("tcpfleet.io/service", "echo")
                .doesNotContainKey("app.kubernetes.io/instance");
        assertThat(d.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/instance");
    }

    @Test
    void replicasDefaultToOneAndFollowTheSpec() {
        TcpService tcps = TestTcpServices.named("echo");
        assertThat(ServerDeployment.build(tcps, IMAGE).getSpec().getReplicas()).isEqualTo(1);
        tcps.getSpec().setReplicas(0);
        assertThat(ServerDeployment.build(tcps, IMAGE).getSpec().getReplicas()).isZero();
    }

    @Test
    void containerExposesTcpAndAdminPortsWithProbesOnAdmin() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setPort(7100);
        Container c = server(ServerDeployment.build(tcps, IMAGE));
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("tcp:7100", "admin:9090");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("admin"));
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(c.getLivenessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("admin"));
    }

    @Test
    void preStopRunsTheImagesDrainCommand() {
        Container c = server(ServerDeployment.build(TestTcpServices.named("echo"), IMAGE));
        assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("/opt/tcpfleet/bin/drain");
    }

    @Test
    void gracePeriodCoversDrainDelayPlusTimeoutPlusTenSeconds() {
        TcpService tcps = TestTcpServices.named("echo");
        assertThat(ServerDeployment.build(tcps, IMAGE)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .isEqualTo(5 + 30 + 10);
        tcps.getSpec().setDrain(new Drain("1m", "1h30m"));
        assertThat(ServerDeployment.build(tcps, IMAGE)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .isEqualTo(60 + 5400 + 10);
        tcps.getSpec().setDrain(new Drain("250ms", "0"));
        assertThat(ServerDeployment.build(tcps, IMAGE)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .as("a fraction of a second rounds up, never down")
                .isEqualTo(1 + 10);
    }

    @Test
    void aPacedDrainAddsTheTimeToAskEveryConnectionToGo() {
        TcpService tcps = TestTcpServices.named("echo");
        Drain drain = new Drain();
        drain.setCloseRate(500);
        tcps.getSpec().setDrain(drain);
        assertThat(ServerDeployment.build(tcps, IMAGE)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .as("10000 connections at 500/s: 20 s between drain.delay and drain.timeout")
                .isEqualTo(5 + 20 + 30 + 10);
        Connections connections = new Connections();
        connections.setMax(10);
        tcps.getSpec().setConnections(connections);
        drain.setCloseRate(3);
        assertThat(ServerDeployment.build(tcps, IMAGE)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .as("10 connections at 3/s round up to 4 s")
                .isEqualTo(5 + 4 + 30 + 10);
    }

    @Test
    void tlsSecretsAreMountedReadOnlyWhereTheEnvironmentPointsTheServer() {
        TcpService tcps = TestTcpServices.named("front");
        Tls tls = new Tls();
        tls.setSecretName("front-tls");
        tls.setClientCA(new ClientCA("partners-ca", "bundle.pem"));
        tcps.getSpec().setTls(tls);
        tcps.getSpec().setHandler("proxy");
        Upstream upstream = new Upstream("db.example", 5432, null);
        UpstreamTls upstreamTls = new UpstreamTls();
        upstreamTls.setEnabled(true);
        upstreamTls.setCaSecret(new CaSecret("db-ca", null));
        upstream.setTls(upstreamTls);
        tcps.getSpec().setUpstream(upstream);

        Deployment d = ServerDeployment.build(tcps, IMAGE);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .extracting(Volume::getName, v -> v.getSecret().getSecretName())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tcpfleet-tls", "front-tls"),
                        org.assertj.core.groups.Tuple.tuple("tcpfleet-client-ca", "partners-ca"),
                        org.assertj.core.groups.Tuple.tuple("tcpfleet-upstream-ca", "db-ca"));
        assertThat(server(d).getVolumeMounts())
                .filteredOn(m -> m.getName().startsWith("tcpfleet-"))
                .allSatisfy(m -> assertThat(m.getReadOnly()).as(m.getName()).isTrue())
                .allSatisfy(m -> assertThat(m.getSubPath())
                        .as("the kubelet never updates a subPath mount")
                        .isNull())
                .extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tcpfleet-tls", "/etc/tcpfleet/tls"),
                        org.assertj.core.groups.Tuple.tuple("tcpfleet-client-ca", "/etc/tcpfleet/client-ca"),
                        org.assertj.core.groups.Tuple.tuple("tcpfleet-upstream-ca", "/etc/tcpfleet/upstream-ca"));
        assertThat(env(d))
                .containsEntry("TCPFLEET_TLS_CERT", "/etc/tcpfleet/tls/tls.crt")
                .containsEntry("TCPFLEET_TLS_KEY", "/etc/tcpfleet/tls/tls.key")
                .containsEntry("TCPFLEET_TLS_CLIENT_CA", "/etc/tcpfleet/client-ca/bundle.pem")
                .containsEntry("TCPFLEET_UPSTREAM_TLS_CA", "/etc/tcpfleet/upstream-ca/ca.crt");
    }

    /**
     * A certificate renewal must not roll the pods: the template names the Secret and nothing of what is in
     * it, so the Deployment the operator wants is the same before and after cert-manager renews.
     */
    @Test
    void thePodTemplateNamesTheSecretButCarriesNothingOfItsContent() {
        TcpService tcps = TestTcpServices.named("echo");
        Tls tls = new Tls();
        tls.setSecretName("echo-tls");
        tcps.getSpec().setTls(tls);
        Deployment d = ServerDeployment.build(tcps, IMAGE);
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsOnlyKeys("tcpfleet.io/config-hash");
        assertThat(d).isEqualTo(ServerDeployment.build(tcps, IMAGE));
    }

    @Test
    void withoutTlsThePodMountsNoSecret() {
        Deployment d = ServerDeployment.build(TestTcpServices.named("echo"), IMAGE);
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .allSatisfy(v -> assertThat(v.getSecret()).isNull());
        assertThat(env(d)).doesNotContainKeys("TCPFLEET_TLS_CERT", "TCPFLEET_TLS_KEY");
    }

    @Test
    void runsAtRestrictedPodSecurityWithAWritableTmp() {
        Deployment d = ServerDeployment.build(TestTcpServices.named("echo"), IMAGE);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var sc = server(d).getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isEmpty();
        assertThat(server(d).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void imageIsTheSpecsOrElseTheOperatorDefault() {
        TcpService tcps = TestTcpServices.named("echo");
        assertThat(server(ServerDeployment.build(tcps, IMAGE)).getImage()).isEqualTo(IMAGE);
        tcps.getSpec().setImage("mine:2");
        assertThat(server(ServerDeployment.build(tcps, IMAGE)).getImage()).isEqualTo("mine:2");
    }

    @Test
    void environmentCarriesTheSpecsSettingsThatDifferFromTheDefaults() {
        TcpService tcps = TestTcpServices.named("echo");
        Connections c = new Connections();
        c.setMax(500);
        c.setIdleTimeout("0");
        tcps.getSpec().setConnections(c);
        Map<String, String> env = env(ServerDeployment.build(tcps, IMAGE));
        assertThat(env)
                .containsEntry("TCPFLEET_HANDLER", "echo")
                .containsEntry("TCPFLEET_PORT", "7000")
                .containsEntry("TCPFLEET_ADMIN_PORT", "9090")
                .containsEntry("TCPFLEET_MAX_CONNECTIONS", "500")
                .containsEntry("TCPFLEET_IDLE_TIMEOUT", "0")
                .doesNotContainKeys("TCPFLEET_KEEPALIVE_IDLE", "TCPFLEET_DRAIN_TIMEOUT", "TCPFLEET_UPSTREAM");
    }

    @Test
    void configHashChangesWithTheConfigurationAndOnlyThen() {
        TcpService tcps = TestTcpServices.named("echo");
        String before = hash(ServerDeployment.build(tcps, IMAGE));
        assertThat(hash(ServerDeployment.build(tcps, IMAGE))).isEqualTo(before);
        tcps.getSpec().setReplicas(5);
        assertThat(hash(ServerDeployment.build(tcps, IMAGE)))
                .as("scaling is not a config change")
                .isEqualTo(before);
        tcps.getSpec().setDrain(new Drain("5s", "45s"));
        assertThat(hash(ServerDeployment.build(tcps, IMAGE))).isNotEqualTo(before);
    }

    private static String hash(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(TcpServiceResources.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void spreadsSoftlyAcrossNodesUnlessTheUserSaysOtherwise() {
        TcpService tcps = TestTcpServices.named("echo");
        var spread = ServerDeployment.build(tcps, IMAGE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints();
        assertThat(spread).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(t.getLabelSelector().getMatchLabels()).containsEntry("tcpfleet.io/service", "echo");
        });
        PodOverrides pod = new PodOverrides();
        pod.setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(2)
                .withTopologyKey("topology.kubernetes.io/zone")
                .withWhenUnsatisfiable("DoNotSchedule")
                .build()));
        tcps.getSpec().setPod(pod);
        spread = ServerDeployment.build(tcps, IMAGE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints();
        assertThat(spread)
                .singleElement()
                .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    }

    @Test
    void podOverridesReachThePodButNeverReplaceOurLabels() {
        TcpService tcps = TestTcpServices.named("echo");
        PodOverrides pod = new PodOverrides();
        pod.setLabels(Map.of("team", "net", "app.kubernetes.io/name", "hijack"));
        pod.setAnnotations(Map.of("example.com/note", "x"));
        pod.setNodeSelector(Map.of("disk", "ssd"));
        Toleration t = new Toleration("NoSchedule", "dedicated", "Equal", null, "tcp");
        pod.setTolerations(List.of(t));
        pod.setPriorityClassName("high");
        pod.setEnv(List.of(new EnvVar("JAVA_TOOL_OPTIONS", "-Xmx256m", null)));
        tcps.getSpec().setPod(pod);
        tcps.getSpec()
                .setResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("250m"))
                        .build());
        Deployment d = ServerDeployment.build(tcps, IMAGE);
        var template = d.getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels())
                .containsEntry("team", "net")
                .containsEntry("app.kubernetes.io/name", "tcpfleet-server");
        assertThat(template.getMetadata().getAnnotations())
                .containsEntry("example.com/note", "x")
                .containsKey(TcpServiceResources.CONFIG_HASH_ANNOTATION);
        assertThat(template.getSpec().getNodeSelector()).isEqualTo(Map.of("disk", "ssd"));
        assertThat(template.getSpec().getTolerations()).containsExactly(t);
        assertThat(template.getSpec().getPriorityClassName()).isEqualTo("high");
        assertThat(env(d)).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx256m").containsKey("TCPFLEET_PORT");
        assertThat(server(d).getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
    }

    @Test
    void aMalformedDurationIsRefusedNamingTheField() {
        TcpService tcps = TestTcpServices.named("echo");
        tcps.getSpec().setDrain(new Drain("5 seconds", "30s"));
        assertThatThrownBy(() -> ServerDeployment.build(tcps, IMAGE))
                .hasMessageContaining("spec.drain.delay")
                .hasMessageContaining("5 seconds");
    }
}
