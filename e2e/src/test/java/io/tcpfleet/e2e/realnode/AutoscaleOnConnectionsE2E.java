package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.EndpointSet;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.load.LoadConfig;
import io.tcpfleet.e2e.load.LoadCounters;
import io.tcpfleet.e2e.rollout.TcpServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * spec.autoscaling on real pods: load ramped from 500 to 5,000 connections through the Service and back; the
 * operator follows it (1, then 5, then 1 pod) without flapping, and no client loses a byte.
 */
@ExtendWith(RealNode.Extension.class)
class AutoscaleOnConnectionsE2E {

    private static final String NAME = "autoscaled";
    /** 5,000 connections over 1,100 a pod is 5 pods; 500 is 1. The margin covers a stray probe connection. */
    private static final int TARGET = 1100;

    private static final int BASE = 500;
    private static final int STEP = 500;
    private static final int STEPS = 9;
    /** Think time over the server's drain quiet time (1 s), so a drained pod finds idle moments to close at. */
    private static final LoadConfig LOAD =
            LoadConfig.defaults().withPayloadBytes(64).withThink(Duration.ofSeconds(2), Duration.ofSeconds(3));

    @Test
    void replicasFollowConnectionsUpAndDownWithoutFlappingOrLoss(RealNode node) throws InterruptedException {
        KubernetesClient client = node.client();
        // No spec.replicas: the operator writes it, as an HPA would.
        node.tcpServices().apply("""
                apiVersion: tcpfleet.io/v1alpha1
                kind: TcpService
                metadata:
                  name: %s
                spec:
                  handler: echo
                  port: 7000
                  connections:
                    max: 6000
                  drain:
                    delay: 2s
                    timeout: 15s
                    closeRate: 500
                  autoscaling:
                    minReplicas: 1
                    maxReplicas: 6
                    targetConnectionsPerPod: %d
                    scaleDownStabilization: 30s
                  resources:
                    limits:
                      memory: 384Mi
                """.formatted(NAME, TARGET));
        awaitReplicas(client, 1, Duration.ofMinutes(3));
        EndpointSet endpoints = RealNode.serviceEndpoint(client, NAME, 7000);

        List<LoadClient> extra = new ArrayList<>();
        LoadCounters.Snapshot base;
        List<LoadCounters.Snapshot> ramp = new ArrayList<>();
        try (LoadClient steady = new LoadClient(LOAD.withConnections(BASE), endpoints)) {
            steady.start();
            await("500 connections answered")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> steady.counters().requestsOk() >= BASE);
            await("500 connections stay on one pod")
                    .during(Duration.ofSeconds(35))
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> replicas(client) == 1);

            for (int i = 0; i < STEPS; i++) {
                LoadClient more = new LoadClient(LOAD.withConnections(STEP), endpoints);
                extra.add(more);
                more.start();
                Thread.sleep(2000); // a ramp, not one burst of 4,500 connects at one pod's accept queue
            }
            await("5,000 connections: 5 pods").atMost(Duration.ofMinutes(3)).until(() -> ready(client) == 5);
            await("5 pods hold while the load does")
                    .during(Duration.ofSeconds(45))
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> replicas(client) == 5);

            for (LoadClient more : extra) {
                ramp.add(more.stop(Duration.ofSeconds(30)));
            }
            await("500 connections: back to 1 pod")
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> replicas(client) == 1);
            await("the removed pods gone")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> RealNode.fleetPods(client, NAME).size() == 1);
            long answered = steady.counters().requestsOk();
            await("the remaining connections still answered")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> steady.counters().requestsOk() >= answered + BASE);
            base = steady.stop(Duration.ofSeconds(30));
        } finally {
            extra.forEach(LoadClient::close);
        }

        for (LoadCounters.Snapshot seen : concat(base, ramp)) {
            assertThat(seen.requestsFailed()).as(seen.summary()).isZero();
            assertThat(seen.bytesLost()).as(seen.summary()).isZero();
            assertThat(seen.corruptResponses()).as(seen.summary()).isZero();
        }
        List<int[]> steps = scaledSteps(client);
        // For the report: what the operator did and what the clients saw.
        System.out.println("autoscaling steps " + describe(steps) + "; 500 steady: " + base.summary());
        assertThat(steps).as("the Scaled events, each from -> to").isNotEmpty();
        int turns = 0;
        for (int i = 1; i < steps.size(); i++) {
            boolean up = steps.get(i)[1] > steps.get(i)[0];
            boolean wasUp = steps.get(i - 1)[1] > steps.get(i - 1)[0];
            turns += up != wasUp ? 1 : 0;
        }
        assertThat(turns)
                .as("up, then down, once: no flapping; steps " + describe(steps))
                .isEqualTo(1);
        assertThat(steps.stream().mapToInt(s -> s[1]).max().orElseThrow()).isEqualTo(5);
    }

    private static List<LoadCounters.Snapshot> concat(LoadCounters.Snapshot first, List<LoadCounters.Snapshot> rest) {
        List<LoadCounters.Snapshot> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    private static int replicas(KubernetesClient client) {
        GenericKubernetesResource t = client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(RealNode.FLEETS)
                .withName(NAME)
                .get();
        return ((Number) ((java.util.Map<?, ?>) t.getAdditionalProperties().get("spec")).get("replicas")).intValue();
    }

    private static int ready(KubernetesClient client) {
        var d = client.apps()
                .deployments()
                .inNamespace(RealNode.FLEETS)
                .withName(NAME)
                .get();
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                ? 0
                : d.getStatus().getReadyReplicas();
    }

    private static void awaitReplicas(KubernetesClient client, int n, Duration atMost) {
        await(NAME + " " + n + " Ready").atMost(atMost).until(() -> ready(client) == n && replicas(client) == n);
    }

    private static final Pattern STEP_MESSAGE = Pattern.compile("^(\\d+) -> (\\d+) replicas");

    /** The Scaled events' from -> to, oldest first (the operator writes one per change). */
    private static List<int[]> scaledSteps(KubernetesClient client) {
        return client
                .v1()
                .events()
                .inNamespace(RealNode.FLEETS)
                .withField("involvedObject.name", NAME)
                .list()
                .getItems()
                .stream()
                .filter(e -> "Scaled".equals(e.getReason()))
                .sorted(Comparator.comparing(AutoscaleOnConnectionsE2E::time))
                .map(e -> STEP_MESSAGE.matcher(e.getMessage()))
                .filter(Matcher::find)
                .map(m -> new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))})
                .toList();
    }

    private static String time(Event e) {
        return e.getLastTimestamp() != null
                ? e.getLastTimestamp()
                : e.getEventTime().getTime();
    }

    private static String describe(List<int[]> steps) {
        return steps.stream().map(s -> s[0] + "->" + s[1]).toList().toString();
    }
}
