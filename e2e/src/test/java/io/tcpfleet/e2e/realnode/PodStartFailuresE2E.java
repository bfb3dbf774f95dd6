package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.TcpServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TcpService whose pods cannot start says why, in its conditions and an Event, within a minute:
 * the kubelet's reason (the real one, from the real node), not only "0/1 replicas ready".
 */
@ExtendWith(RealNode.Extension.class)
class PodStartFailuresE2E {

    private static final Duration WITHIN = Duration.ofMinutes(1);

    @Test
    void anImageThatDoesNotExistIsReportedAsAnImagePullFailure(RealNode node) {
        String why = failureOf(
                node,
                "no-image",
                "  image: ghcr.io/tcpfleet/no-such-image:0.0.0\n",
                Set.of("ErrImagePull", "ImagePullBackOff"));

        assertThat(why).contains("no-such-image");
    }

    @Test
    void aServerThatExitsAtStartIsReportedWithItsExitCodeAndError(RealNode node) {
        // Admitted (a handler may name a plugin), but the image has no such plugin: the server exits 2.
        String why = failureOf(node, "crash", "", Set.of("CrashLoopBackOff", "ContainerRestarted"))
                .replace('\n', ' ');

        assertThat(why).contains("exit code 2").contains("no-such-plugin");
    }

    /**
     * Creates the TcpService, waits for Degraded=True with one of {@code reasons} (a reconcile that
     * lost a race on the status first is routine) and a Warning Event of that reason; returns both.
     */
    private String failureOf(RealNode node, String name, String extra, Set<String> reasons) {
        KubernetesClient client = node.client();
        String yaml = TcpServices.echo(name, 1, 7000, "1s", "2s", extra);
        node.tcpServices()
                .apply(name.equals("crash") ? yaml.replace("handler: echo", "handler: no-such-plugin") : yaml);

        Map<String, Object> degraded = await(name + " Degraded=True")
                .atMost(WITHIN)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> condition(client, name, "Degraded"),
                        c -> c != null && "True".equals(c.get("status")) && reasons.contains(c.get("reason")));
        Map<String, Object> ready = condition(client, name, "Ready");
        List<Event> warnings = await(name + " Warning Event")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> client
                                .v1()
                                .events()
                                .inNamespace(RealNode.FLEETS)
                                .withField("involvedObject.name", name)
                                .list()
                                .getItems()
                                .stream()
                                .filter(e -> "Warning".equals(e.getType())
                                        && "TcpService"
                                                .equals(e.getInvolvedObject().getKind())
                                        && reasons.contains(e.getReason()))
                                .toList(),
                        l -> !l.isEmpty());

        assertThat(ready).containsEntry("status", "False");
        assertThat((String) ready.get("message")).contains("0/1 replicas ready").contains(name + "-");
        return degraded.get("reason") + ": " + degraded.get("message") + " | "
                + warnings.get(0).getReason() + ": " + warnings.get(0).getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> condition(KubernetesClient client, String name, String type) {
        GenericKubernetesResource tcps = client.genericKubernetesResources(TcpServices.TCPS)
                .inNamespace(RealNode.FLEETS)
                .withName(name)
                .get();
        Object status = tcps == null ? null : tcps.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
            return null;
        }
        return conditions.stream()
                .map(c -> (Map<String, Object>) c)
                .filter(c -> type.equals(c.get("type")))
                .findFirst()
                .orElse(null);
    }
}
