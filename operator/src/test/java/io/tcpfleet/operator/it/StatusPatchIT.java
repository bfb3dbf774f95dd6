package io.tcpfleet.operator.it;

import static io.tcpfleet.operator.it.TcpServices.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.model.TcpServiceResources;
import io.tcpfleet.operator.reconciler.TcpServiceReconciler;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The status patch a reconcile returns, sent to the real API server the way JOSDK sends it (server-side
 * apply on the status subresource, forced, as the operator's field manager): it lands only on the
 * TcpService that reconcile read, so a spec change made meanwhile is never reported as reconciled.
 */
@ExtendWith(ClusterExtension.class)
class StatusPatchIT {

    @BeforeAll
    static void crd() {
        TestCluster.installTcpServiceCrd();
    }

    private static TcpService apply(KubernetesClient client, TcpService patch) {
        return client.resource(patch).subresource("status").patch(new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY).withForce(true)
                .withFieldManager(TcpServiceResources.OPERATOR_NAME).build());
    }

    private static TcpServiceStatus observed(long generation) {
        TcpServiceStatus status = new TcpServiceStatus();
        status.setObservedGeneration(generation);
        return status;
    }

    @Test
    void isRefusedOnceTheSpecChangedSinceTheReconcileReadIt(KubernetesClient client, TestNamespace ns) {
        TcpService read = TcpServices.create(client, ns.name(), "locked", s -> s.setReplicas(1));
        TcpServices.get(client, ns.name(), "locked").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");

        assertThatThrownBy(() -> apply(client, TcpServiceReconciler.statusPatch(read, observed(1))))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        // The TcpService as it is now takes the patch (retried: an operator of another test may write meanwhile).
        await("status patch of the current TcpService lands").until(() -> {
            TcpService now = TcpServices.get(client, ns.name(), "locked").get();
            TcpService applied = apply(client, TcpServiceReconciler.statusPatch(now, observed(now.getMetadata().getGeneration())));
            return applied.getStatus().getObservedGeneration() == 2L;
        });
    }
}
