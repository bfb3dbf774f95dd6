package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.model.TcpServiceResources;
import io.tcpfleet.operator.reconciler.EventRecorder;
import io.tcpfleet.operator.reconciler.StatusWriter;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The status patch a reconcile applies, sent to the real API server the way JOSDK's
 * serverSideApplyPrimaryStatus sends it (server-side apply on the status subresource, forced, as the operator's
 * field manager): it lands only on the TcpService that reconcile read, so a spec change made meanwhile is never
 * reported as reconciled, and the Events of a refused patch are not written until its retry lands.
 */
@ExtendWith(ClusterExtension.class)
class StatusPatchIT {

    private static final EventRecorder EVENTS = new EventRecorder("status-patch-it");

    @BeforeAll
    static void crd() {
        TestCluster.installTcpServiceCrd();
    }

    private static TcpService apply(KubernetesClient client, TcpService patch) {
        return client.resource(patch)
                .subresource("status")
                .patch(new PatchContext.Builder()
                        .withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withForce(true)
                        .withFieldManager(TcpServiceResources.OPERATOR_NAME)
                        .build());
    }

    private static TcpServiceStatus observed(long generation) {
        TcpServiceStatus status = new TcpServiceStatus();
        status.setObservedGeneration(generation);
        return status;
    }

    /** A status whose only Event is a Warning no operator would write: the reason names this test. */
    private static TcpServiceStatus degraded(long generation, String message) {
        TcpServiceStatus status = observed(generation);
        status.setConditions(List.of(new Condition(Condition.DEGRADED, Condition.TRUE, "StatusPatchIT", message)));
        return status;
    }

    @Test
    void aRefusedStatusPatchWritesNoEventSoTheRetryTellsTheChangeOnce(KubernetesClient client, TestNamespace ns) {
        TcpService read = TcpServices.create(client, ns.name(), "told", s -> s.setReplicas(1));
        TcpServices.get(client, ns.name(), "told")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        String message = "told once " + UUID.randomUUID();

        assertThatThrownBy(
                        () -> StatusWriter.publish(client, EVENTS, read, degraded(1, message), p -> apply(client, p)))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));

        // The retry reads the TcpService again (retried itself: an operator of another test may write meanwhile).
        await("status of the current TcpService published").until(() -> {
            TcpService now = TcpServices.get(client, ns.name(), "told").get();
            try {
                StatusWriter.publish(
                        client,
                        EVENTS,
                        now,
                        degraded(now.getMetadata().getGeneration(), message),
                        p -> apply(client, p));
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                return false;
            }
        });
        assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
                .filteredOn(e -> message.equals(e.getMessage()))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getReason()).isEqualTo("StatusPatchIT");
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("told");
                    assertThat(e.getCount()).as("told once, not repeated").isEqualTo(1);
                });
    }

    @Test
    void isRefusedOnceTheSpecChangedSinceTheReconcileReadIt(KubernetesClient client, TestNamespace ns) {
        TcpService read = TcpServices.create(client, ns.name(), "locked", s -> s.setReplicas(1));
        TcpServices.get(client, ns.name(), "locked")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");

        assertThatThrownBy(() -> apply(client, StatusWriter.statusPatch(read, observed(1))))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));

        // The TcpService as it is now takes the patch (retried: an operator of another test may write meanwhile).
        await("status patch of the current TcpService lands").until(() -> {
            TcpService now = TcpServices.get(client, ns.name(), "locked").get();
            TcpService applied = apply(
                    client,
                    StatusWriter.statusPatch(now, observed(now.getMetadata().getGeneration())));
            return applied.getStatus().getObservedGeneration() == 2L;
        });
    }
}
