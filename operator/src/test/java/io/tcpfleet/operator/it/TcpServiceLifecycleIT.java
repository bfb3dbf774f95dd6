package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static io.tcpfleet.operator.it.TcpServices.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.Connections;
import io.tcpfleet.operator.api.v1alpha1.Drain;
import io.tcpfleet.operator.api.v1alpha1.Keepalive;
import io.tcpfleet.operator.api.v1alpha1.PodOverrides;
import io.tcpfleet.operator.api.v1alpha1.Rebalance;
import io.tcpfleet.operator.api.v1alpha1.ServiceSpec;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.TcpServiceResources;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The packaged operator against the real API server, controller-manager and kwok nodes. */
@ExtendWith(ClusterExtension.class)
class TcpServiceLifecycleIT {

    @BeforeAll
    static void operatorRuns() {
        SharedOperator.shared();
    }

    private static Deployment deployment(KubernetesClient client, String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private static void assertOwnedAndLabelled(HasMetadata child, TcpService owner) {
        assertThat(child).as("child of " + owner.getMetadata().getName()).isNotNull();
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference ref) -> {
            assertThat(ref.getKind()).isEqualTo("TcpService");
            assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
        });
        assertThat(child.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "tcpfleet-server")
                .containsEntry("app.kubernetes.io/managed-by", "tcpfleet-operator")
                .containsEntry("tcpfleet.io/service", owner.getMetadata().getName())
                .doesNotContainKey("app.kubernetes.io/instance");
    }

    @Test
    void createsEveryChildOwnedAndLabelled(KubernetesClient client, TestNamespace ns) {
        TcpService tcps = TcpServices.create(client, ns.name(), "echo", s -> s.setReplicas(2));
        await("children of echo")
                .until(() -> deployment(client, ns.name(), "echo") != null
                        && client.services()
                                        .inNamespace(ns.name())
                                        .withName("echo-metrics")
                                        .get()
                                != null
                        && client.policy()
                                        .v1()
                                        .podDisruptionBudget()
                                        .inNamespace(ns.name())
                                        .withName("echo")
                                        .get()
                                != null);
        assertOwnedAndLabelled(deployment(client, ns.name(), "echo"), tcps);
        assertOwnedAndLabelled(
                client.services().inNamespace(ns.name()).withName("echo").get(), tcps);
        assertOwnedAndLabelled(
                client.services()
                        .inNamespace(ns.name())
                        .withName("echo-metrics")
                        .get(),
                tcps);
        PodDisruptionBudget pdb = client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns.name())
                .withName("echo")
                .get();
        assertOwnedAndLabelled(pdb, tcps);
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
        Deployment d = deployment(client, ns.name(), "echo");
        assertThat(d.getMetadata().getManagedFields()).anySatisfy(f -> {
            assertThat(f.getManager()).isEqualTo("tcpfleet-operator");
            assertThat(f.getOperation()).isEqualTo("Apply");
        });
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(SharedOperator.TEST_IMAGE);
        assertThat(client.services()
                        .inNamespace(ns.name())
                        .withName("echo")
                        .get()
                        .getSpec()
                        .getPorts())
                .extracting(p -> p.getName())
                .containsExactly("tcp");
    }

    @Test
    void becomesReadyForKubectlWaitOncePodsAreReady(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "ready", s -> s.setReplicas(3));
        Processes.Result wait =
                Kubectl.admin().run("wait", "--for=condition=Ready", "tcps/ready", "-n", ns.name(), "--timeout=180s");
        assertThat(wait.exitCode()).as(wait.output()).isZero();
        TcpService tcps = TcpServices.get(client, ns.name(), "ready").get();
        assertThat(tcps.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(tcps.getStatus().getObservedGeneration())
                .isEqualTo(tcps.getMetadata().getGeneration());
        assertThat(tcps.getStatus().getSelector()).isEqualTo("tcpfleet.io/service=ready");
        assertThat(tcps.getStatus().getEndpoint()).isEqualTo("ready." + ns.name() + ".svc:7000");
        assertThat(client.pods()
                        .inNamespace(ns.name())
                        .withLabel("tcpfleet.io/service", "ready")
                        .list()
                        .getItems())
                .hasSize(3)
                .allSatisfy(p -> assertThat(p.getStatus().getConditions())
                        .anySatisfy(c -> assertThat(c.getType() + c.getStatus()).isEqualTo("ReadyTrue")));
        Processes.Result get = Kubectl.admin().run("get", "tcps", "ready", "-n", ns.name());
        assertThat(get.output()).contains("REPLICAS", "READY", "HANDLER", "PORT", "STATUS", "AGE", "AllReplicasReady");
    }

    @Test
    void scaleSubresourceReachesTheDeployment(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "scaled", s -> s.setReplicas(1));
        awaitCondition(client, ns.name(), "scaled", Condition.READY, Condition.TRUE);
        Processes.Result scale = Kubectl.admin().run("scale", "tcps", "scaled", "--replicas=4", "-n", ns.name());
        assertThat(scale.exitCode()).as(scale.output()).isZero();
        await("Deployment scaled to 4")
                .until(() -> deployment(client, ns.name(), "scaled").getSpec().getReplicas() == 4);
        await("status reports 4 ready").until(() -> {
            TcpService t = TcpServices.get(client, ns.name(), "scaled").get();
            return t.getStatus().getReadyReplicas() == 4 && TcpServices.has(t, Condition.READY, Condition.TRUE);
        });
        Processes.Result read = Kubectl.admin()
                .run(
                        "get",
                        "tcps",
                        "scaled",
                        "-n",
                        ns.name(),
                        "--subresource=scale",
                        "-o",
                        "jsonpath={.status.replicas} {.status.selector}");
        assertThat(read.output()).as(read.output()).isEqualTo("4 tcpfleet.io/service=scaled");
    }

    @Test
    void specChangeRollsThePodsAndProgressingGoesTrueThenFalse(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "roll", s -> s.setReplicas(2));
        TcpService before = awaitCondition(client, ns.name(), "roll", Condition.READY, Condition.TRUE);
        awaitCondition(client, ns.name(), "roll", Condition.PROGRESSING, Condition.FALSE);
        String hash = deployment(client, ns.name(), "roll")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(TcpServiceResources.CONFIG_HASH_ANNOTATION);
        List<String> oldPods = podNames(client, ns.name(), "roll");

        List<String> progressing = new java.util.concurrent.CopyOnWriteArrayList<>();
        TcpService after;
        try (var watch = TcpServices.get(client, ns.name(), "roll").watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, TcpService t) {
                Condition c = TcpServices.condition(t, Condition.PROGRESSING);
                if (c != null && t.getStatus().getObservedGeneration() == 2L) {
                    progressing.add(c.getStatus());
                }
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
        })) {
            TcpServices.get(client, ns.name(), "roll").edit(t -> {
                t.getSpec().setDrain(new Drain("2s", "20s"));
                return t;
            });
            await("rollout of generation 2 finished").until(() -> progressing.contains(Condition.FALSE));
            after = awaitCondition(client, ns.name(), "roll", Condition.READY, Condition.TRUE);
        }
        assertThat(progressing)
                .as("Progressing of generation 2, in order")
                .startsWith(Condition.TRUE)
                .endsWith(Condition.FALSE);

        Deployment d = deployment(client, ns.name(), "roll");
        assertThat(d.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get(TcpServiceResources.CONFIG_HASH_ANNOTATION))
                .isNotEqualTo(hash);
        assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(2 + 20 + 10);
        await("old pods replaced")
                .until(() -> podNames(client, ns.name(), "roll").stream().noneMatch(oldPods::contains)
                        && podNames(client, ns.name(), "roll").size() == 2);
        assertThat(after.getStatus().getObservedGeneration())
                .isGreaterThan(before.getStatus().getObservedGeneration());
        assertThat(TcpServices.condition(after, Condition.READY).getLastTransitionTime())
                .as("capacity never dropped, so Ready never flipped")
                .isEqualTo(TcpServices.condition(before, Condition.READY).getLastTransitionTime());
        assertThat(events(ns.name(), "roll")).contains("RolloutStarted", "RolloutFinished");
    }

    /**
     * Spec edits that land while the operator is still reconciling an earlier generation, as kubectl patch
     * sends them: the last one reaches the Deployment and status.observedGeneration, and an edit that beats
     * the operator's status write (a 409 for its locked patch) is just retried, never shown as a failure.
     */
    @Test
    void everyEditOfABurstIsReconciledAndTheLastOneWins(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "burst", s -> s.setReplicas(1));
        awaitCondition(client, ns.name(), "burst", Condition.READY, Condition.TRUE);
        Random random = new Random();
        int edits = 25;
        for (int i = 1; i <= edits; i++) {
            TcpServices.get(client, ns.name(), "burst")
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"spec\":{\"drain\":{\"delay\":\"1s\",\"timeout\":\"" + (2 + i) + "s\"}}}");
            sleepMillis(random.nextInt(250)); // spacing, not a wait: edits land at different points of a reconcile
        }
        long generation =
                TcpServices.get(client, ns.name(), "burst").get().getMetadata().getGeneration();
        await("burst reconciled up to generation " + generation).until(() -> {
            TcpService t = TcpServices.get(client, ns.name(), "burst").get();
            return t.getStatus() != null
                    && Long.valueOf(generation).equals(t.getStatus().getObservedGeneration());
        });
        assertThat(deployment(client, ns.name(), "burst")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .isEqualTo(1 + 2 + edits + 10);
        TcpService last = TcpServices.get(client, ns.name(), "burst").get();
        assertThat(TcpServices.condition(last, Condition.DEGRADED).getStatus()).isEqualTo(Condition.FALSE);
        assertThat(events(ns.name(), "burst")).doesNotContain("ReconcileFailed");
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> podNames(KubernetesClient client, String ns, String name) {
        return client.pods().inNamespace(ns).withLabel("tcpfleet.io/service", name).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map((Pod p) -> p.getMetadata().getName())
                .toList();
    }

    /**
     * Each status write of the controller-manager brings the TcpService back to the operator, which compares
     * every child with its desired state through the operator's own managedFields entry, the one entry its
     * informers keep: none of those comparisons may end in a re-apply.
     */
    @Test
    void childrenAreAppliedOnceAndLeftAloneWhileTheControlPlaneWritesTheirStatus(
            KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "settled", s -> s.setReplicas(2));
        awaitCondition(client, ns.name(), "settled", Condition.READY, Condition.TRUE);
        awaitCondition(client, ns.name(), "settled", Condition.PROGRESSING, Condition.FALSE);
        Deployment d = deployment(client, ns.name(), "settled");
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(d.getMetadata().getManagedFields())
                .extracting(f -> f.getManager())
                .contains("tcpfleet-operator", "kube-controller-manager");
        assertThat(events(ns.name(), "settled")).contains("Created").doesNotContain("Updated");
    }

    /**
     * The same with spec.rebalance, whose downward API volume holds an atomic list that the API server fills
     * defaults into: left out of the desired Deployment, they read as a change at every reconcile (and a
     * rebalancing TcpService is reconciled every 15 s).
     */
    @Test
    void aRebalancingFleetsDeploymentIsAppliedOnceToo(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "even", s -> {
            s.setReplicas(2);
            s.setRebalance(new Rebalance());
        });
        awaitCondition(client, ns.name(), "even", Condition.READY, Condition.TRUE);
        awaitCondition(client, ns.name(), "even", Condition.PROGRESSING, Condition.FALSE);
        await("nothing applied again through one requeue of the rebalancer (every 15 s)")
                .during(Duration.ofSeconds(16))
                .atMost(Duration.ofSeconds(25))
                .until(() -> deployment(client, ns.name(), "even").getMetadata().getGeneration() == 1L
                        && !events(ns.name(), "even").contains("Updated"));
        assertThat(deployment(client, ns.name(), "even").getMetadata().getGeneration())
                .isEqualTo(1L);
        assertThat(events(ns.name(), "even")).contains("Created").doesNotContain("Updated");
    }

    @Test
    void handEditedDeploymentIsPutBack(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "drift", s -> s.setReplicas(1));
        awaitCondition(client, ns.name(), "drift", Condition.READY, Condition.TRUE);
        Processes.Result edit = Kubectl.admin()
                .run(
                        "patch",
                        "deployment",
                        "drift",
                        "-n",
                        ns.name(),
                        "--type=json",
                        "-p",
                        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/terminationGracePeriodSeconds\",\"value\":1},"
                                + "{\"op\":\"replace\",\"path\":\"/spec/strategy/rollingUpdate/maxUnavailable\",\"value\":1}]");
        assertThat(edit.exitCode()).as(edit.output()).isZero();
        await("drift corrected").until(() -> {
            Deployment d = deployment(client, ns.name(), "drift");
            return d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() == 45
                    && d.getSpec()
                                    .getStrategy()
                                    .getRollingUpdate()
                                    .getMaxUnavailable()
                                    .getIntVal()
                            == 0;
        });
        assertThat(events(ns.name(), "drift")).contains("Updated");
    }

    @Test
    void deletingTheTcpServiceDeletesItsChildrenThroughGarbageCollection(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "gone", s -> s.setReplicas(1));
        awaitCondition(client, ns.name(), "gone", Condition.READY, Condition.TRUE);
        TcpServices.get(client, ns.name(), "gone").delete();
        await("children collected")
                .until(() -> deployment(client, ns.name(), "gone") == null
                        && client.services()
                                .inNamespace(ns.name())
                                .withLabel("tcpfleet.io/service", "gone")
                                .list()
                                .getItems()
                                .isEmpty()
                        && client.policy()
                                        .v1()
                                        .podDisruptionBudget()
                                        .inNamespace(ns.name())
                                        .withName("gone")
                                        .get()
                                == null
                        && client.pods()
                                .inNamespace(ns.name())
                                .withLabel("tcpfleet.io/service", "gone")
                                .list()
                                .getItems()
                                .isEmpty());
    }

    @Test
    void kubectlDescribeTellsTheStory(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "story", s -> s.setReplicas(1));
        awaitCondition(client, ns.name(), "story", Condition.READY, Condition.TRUE);
        await("events recorded").until(() -> events(ns.name(), "story").contains("Ready"));
        Processes.Result describe = Kubectl.admin().run("describe", "tcps", "story", "-n", ns.name());
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output())
                .contains("Events:", "Created", "created Deployment story", "Normal", "tcpfleet-operator", "Ready");
        assertThat(events(ns.name(), "story"))
                .as("one Event names every child, and the first rollout is the creation, not a rollout")
                .containsOnlyOnce("Created")
                .doesNotContain("RolloutStarted", "RolloutFinished");
        // The monitoring children join the list where an earlier test left their CRDs installed.
        assertThat(createdEvent(ns.name(), "story"))
                .contains("Deployment story", "PodDisruptionBudget story", "Service story,", "Service story-metrics");
    }

    @Test
    void settingsThatWillHurtAreAWarningInDescribeButTheFleetRuns(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "lb", s -> {
            s.setReplicas(1);
            ServiceSpec service = new ServiceSpec();
            service.setType(ServiceSpec.Type.LoadBalancer);
            s.setService(service);
            Keepalive keepalive = new Keepalive();
            keepalive.setIdle("400s");
            Connections connections = new Connections();
            connections.setKeepalive(keepalive);
            s.setConnections(connections);
        });
        awaitCondition(client, ns.name(), "lb", Condition.READY, Condition.TRUE);
        TcpService warned = awaitCondition(client, ns.name(), "lb", Condition.SETTINGS_WARNING, Condition.TRUE);
        assertThat(TcpServices.condition(warned, Condition.SETTINGS_WARNING).getReason())
                .isEqualTo("KeepaliveAfterLoadBalancerIdleTimeout");
        await("Warning event").until(() -> events(ns.name(), "lb").contains("KeepaliveAfterLoadBalancerIdleTimeout"));
        Processes.Result describe = Kubectl.admin().run("describe", "tcps", "lb", "-n", ns.name());
        assertThat(describe.output()).contains("SettingsWarning", "keepalive.idle 400s", "Warning");

        client.resources(TcpService.class).inNamespace(ns.name()).withName("lb").edit(t -> {
            t.getSpec().getConnections().getKeepalive().setIdle("300s");
            return t;
        });
        awaitCondition(client, ns.name(), "lb", Condition.SETTINGS_WARNING, Condition.FALSE);
    }

    @Test
    void podsAreAdmittedInANamespaceEnforcingRestricted(KubernetesClient client, TestNamespace ns) {
        client.namespaces().withName(ns.name()).edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce-version", "latest");
            return n;
        });
        TcpServices.create(client, ns.name(), "strict", s -> s.setReplicas(2));
        Processes.Result wait =
                Kubectl.admin().run("wait", "--for=condition=Ready", "tcps/strict", "-n", ns.name(), "--timeout=180s");
        assertThat(wait.exitCode()).as(wait.output()).isZero();
        TcpService t = TcpServices.get(client, ns.name(), "strict").get();
        assertThat(TcpServices.condition(t, Condition.DEGRADED).getStatus()).isEqualTo(Condition.FALSE);
        assertThat(client.pods()
                        .inNamespace(ns.name())
                        .withLabel("tcpfleet.io/service", "strict")
                        .list()
                        .getItems())
                .hasSize(2);
    }

    @Test
    void aChildTheApiServerRefusesIsReportedAsDegradedUntilTheSpecIsFixed(KubernetesClient client, TestNamespace ns) {
        // Admission passes a label selector inside an affinity term on as written; the Deployment validation
        // refuses operator In without values.
        TcpServices.create(client, ns.name(), "broken", s -> {
            PodOverrides pod = new PodOverrides();
            pod.setAffinity(new AffinityBuilder()
                    .withNewPodAntiAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withTopologyKey("kubernetes.io/hostname")
                    .withNewLabelSelector()
                    .addNewMatchExpression()
                    .withKey("app")
                    .withOperator("In")
                    .endMatchExpression()
                    .endLabelSelector()
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endPodAntiAffinity()
                    .build());
            s.setPod(pod);
        });
        TcpService degraded = awaitCondition(client, ns.name(), "broken", Condition.DEGRADED, Condition.TRUE);
        assertThat(TcpServices.condition(degraded, Condition.DEGRADED).getReason())
                .isEqualTo("ReconcileFailed");
        assertThat(TcpServices.condition(degraded, Condition.DEGRADED).getMessage())
                .contains("values");
        assertThat(TcpServices.condition(degraded, Condition.READY).getStatus()).isNotEqualTo(Condition.TRUE);
        await("Warning event").until(() -> events(ns.name(), "broken").contains("ReconcileFailed"));
        assertThat(events(ns.name(), "broken")).contains("Warning");
        assertThat(createdEvent(ns.name(), "broken"))
                .as("what the failed reconcile did create is still told")
                .contains("PodDisruptionBudget broken", "Service broken,", "Service broken-metrics")
                .doesNotContain("Deployment");

        TcpServices.get(client, ns.name(), "broken").edit(t -> {
            t.getSpec().getPod().setAffinity(null);
            return t;
        });
        awaitCondition(client, ns.name(), "broken", Condition.DEGRADED, Condition.FALSE);
        awaitCondition(client, ns.name(), "broken", Condition.READY, Condition.TRUE);
    }

    /**
     * A pod that cannot pull its image is named in status within a minute. kwok runs no containers, so the kubelet's
     * report is written here, as the admin, into one pod's status; its phase stays Running, as kwok readies Pending pods.
     */
    @Test
    void aPodThatCannotPullItsImageMakesTheTcpServiceDegradedWithAWarning(KubernetesClient client, TestNamespace ns) {
        TcpServices.create(client, ns.name(), "pull", s -> s.setReplicas(2));
        awaitCondition(client, ns.name(), "pull", Condition.READY, Condition.TRUE);
        String pod = podNames(client, ns.name(), "pull").stream()
                .sorted()
                .findFirst()
                .orElseThrow();
        Processes.Result patch = Kubectl.admin()
                .run(
                        "patch",
                        "pod",
                        pod,
                        "-n",
                        ns.name(),
                        "--subresource=status",
                        "--type=strategic",
                        "-p",
                        """
                {"status": {
                  "conditions": [
                    {"type": "Ready", "status": "False", "reason": "ContainersNotReady"},
                    {"type": "ContainersReady", "status": "False", "reason": "ContainersNotReady"}],
                  "containerStatuses": [{"name": "server", "image": "%s", "imageID": "", "ready": false,
                    "restartCount": 0, "started": false, "state": {"waiting": {"reason": "ImagePullBackOff",
                    "message": "Back-off pulling image \\"%s\\""}}}]}}
                """.formatted(SharedOperator.TEST_IMAGE, SharedOperator.TEST_IMAGE));
        assertThat(patch.exitCode()).as(patch.output()).isZero();

        Awaitility.await("Degraded=True and a Warning Event")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> TcpServices.has(
                                TcpServices.get(client, ns.name(), "pull").get(), Condition.DEGRADED, Condition.TRUE)
                        && events(ns.name(), "pull")
                                .lines()
                                .anyMatch(l -> l.startsWith("Warning") && l.contains("ImagePullBackOff")));
        TcpService t = TcpServices.get(client, ns.name(), "pull").get();
        String problem = "pod " + pod + " container server: ImagePullBackOff: Back-off pulling image \""
                + SharedOperator.TEST_IMAGE + "\"";
        assertThat(TcpServices.condition(t, Condition.DEGRADED).getReason()).isEqualTo("ImagePullBackOff");
        assertThat(TcpServices.condition(t, Condition.DEGRADED).getMessage()).isEqualTo(problem);
        assertThat(TcpServices.condition(t, Condition.READY).getStatus()).isEqualTo(Condition.FALSE);
        assertThat(TcpServices.condition(t, Condition.READY).getMessage()).isEqualTo("1/2 replicas ready: " + problem);
    }

    @Test
    void operatorServesHealthAndReconcileMetrics(KubernetesClient client, TestNamespace ns) {
        OperatorProcess op = SharedOperator.shared();
        assertThat(op.get("/q/health").orElseThrow().statusCode()).isEqualTo(200);
        TcpServices.create(client, ns.name(), "counted", s -> s.setReplicas(1));
        awaitCondition(client, ns.name(), "counted", Condition.READY, Condition.TRUE);
        await("reconcile metrics on /q/metrics")
                .until(() -> op.get("/q/metrics")
                        .orElseThrow()
                        .body()
                        .lines()
                        .anyMatch(l -> l.startsWith("reconciliations_started_total") && l.contains(ns.name())));
    }

    /** The message of the one Created Event on a TcpService, empty if there is none. */
    static String createdEvent(String ns, String name) {
        return events(ns, name)
                .lines()
                .filter(l -> l.contains("Created"))
                .findFirst()
                .orElse("");
    }

    /** The reasons of the Events on one TcpService, as `kubectl get events` shows them. */
    static String events(String ns, String name) {
        return Kubectl.admin()
                .run(
                        "get",
                        "events",
                        "-n",
                        ns,
                        "--field-selector",
                        "involvedObject.name=" + name,
                        "-o",
                        "custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message")
                .output();
    }

    static Map<String, String> labels(HasMetadata m) {
        return m.getMetadata().getLabels();
    }
}
