package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.load.EndpointSet;
import io.tcpfleet.e2e.load.LoadClient;
import io.tcpfleet.e2e.load.LoadConfig;
import io.tcpfleet.e2e.load.LoadCounters;
import io.tcpfleet.e2e.rollout.TcpServices;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A TcpService's fleet in real pods on the real node, reached through its Service's ClusterIP. */
@ExtendWith(RealNode.Extension.class)
class FleetOnRealPodsE2E {

    private static final String NAME = "rollout";
    private static final int REPLICAS = 2;
    /** Think time over the server's drain quiet time (1 s), so the drain finds idle moments to close at. */
    private static final LoadConfig LOAD = LoadConfig.defaults()
            .withConnections(20)
            .withPayloadBytes(512)
            .withThink(Duration.ofMillis(1200), Duration.ofMillis(1800));

    @Test
    void configChangeRollsThePodsUnderLoadThroughTheClusterIpLosingNothing(RealNode node) {
        KubernetesClient client = node.client();
        node.tcpServices().apply(TcpServices.echo(NAME, REPLICAS, 7000, "3s", "20s", """
                  resources:
                    limits:
                      memory: 256Mi
                """));
        awaitRolledOut(client, Duration.ofMinutes(3));
        Service service =
                client.services().inNamespace(RealNode.FLEETS).withName(NAME).get();
        EndpointSet endpoints = new EndpointSet();
        endpoints.add(new InetSocketAddress(service.getSpec().getClusterIP(), 7000));
        String before = configHash(client);

        AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        LoadCounters.Snapshot seen;
        try (LoadClient load = new LoadClient(LOAD, endpoints)) {
            load.start();
            sampler.scheduleAtFixedRate(
                    () -> fewestReady.accumulateAndGet(readyEndpoints(client), Math::min),
                    0,
                    200,
                    TimeUnit.MILLISECONDS);
            await("every connection answered")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> load.counters().requestsOk() >= LOAD.connections());
            // A new drain timeout is a new pod environment: the pods roll.
            node.tcpServices().apply(TcpServices.echo(NAME, REPLICAS, 7000, "3s", "21s", """
                      resources:
                        limits:
                          memory: 256Mi
                    """));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> !configHash(client).equals(before));
            awaitRolledOut(client, Duration.ofMinutes(4));
            // The Deployment counts a rollout done once the old pods are terminating; their drain
            // (drain.delay, then the closes) is what this test is about, so the load waits for it.
            await("the old pods gone")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> client
                            .pods()
                            .inNamespace(RealNode.FLEETS)
                            .withLabel("tcpfleet.io/service", NAME)
                            .list()
                            .getItems()
                            .stream()
                            .noneMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
            long answered = load.counters().requestsOk();
            await("every connection answered by the new pods")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> load.counters().requestsOk() >= answered + LOAD.connections());
            sampler.shutdown();
            seen = load.stop(Duration.ofSeconds(30));
        } finally {
            sampler.shutdownNow();
        }

        assertThat(seen.requestsOk()).as(seen.summary()).isGreaterThan(100);
        assertThat(seen.requestsFailed()).as(seen.summary()).isZero();
        assertThat(seen.bytesLost()).as(seen.summary()).isZero();
        assertThat(seen.corruptResponses()).as(seen.summary()).isZero();
        assertThat(seen.serverCloses())
                .as("the drain closed idle connections: " + seen.summary())
                .isPositive();
        assertThat(fewestReady.get())
                .as("Ready endpoints behind the Service during the rollout")
                .isGreaterThanOrEqualTo(REPLICAS);
        assertThat(client.pods()
                        .inNamespace(RealNode.FLEETS)
                        .withLabel("tcpfleet.io/service", NAME)
                        .list()
                        .getItems())
                .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
                .hasSize(REPLICAS)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(RealNode.NODE));
    }

    private static void awaitRolledOut(KubernetesClient client, Duration atMost) {
        await("Deployment " + NAME + " rolled out")
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Deployment d = client.apps()
                            .deployments()
                            .inNamespace(RealNode.FLEETS)
                            .withName(NAME)
                            .get();
                    return d != null
                            && d.getStatus() != null
                            && d.getMetadata()
                                    .getGeneration()
                                    .equals(d.getStatus().getObservedGeneration())
                            && Integer.valueOf(REPLICAS).equals(d.getStatus().getUpdatedReplicas())
                            && Integer.valueOf(REPLICAS).equals(d.getStatus().getReadyReplicas())
                            && Integer.valueOf(REPLICAS).equals(d.getStatus().getReplicas());
                });
    }

    private static String configHash(KubernetesClient client) {
        Deployment d = client.apps()
                .deployments()
                .inNamespace(RealNode.FLEETS)
                .withName(NAME)
                .get();
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get("tcpfleet.io/config-hash");
    }

    /** Ready, not terminating endpoints: what kube-proxy sends new connections to. */
    private static int readyEndpoints(KubernetesClient client) {
        return (int) client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(RealNode.FLEETS)
                .withLabel("kubernetes.io/service-name", NAME)
                .list()
                .getItems()
                .stream()
                .map(EndpointSlice::getEndpoints)
                .flatMap(java.util.List::stream)
                .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())
                        && !Boolean.TRUE.equals(e.getConditions().getTerminating()))
                .count();
    }
}
