package io.tcpfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import java.util.function.Consumer;

/** Writes a TcpService's status, and then the Events its changes deserve. */
public final class StatusWriter {

    private StatusWriter() {}

    /**
     * Applies the status (as JOSDK's UpdateControl.patchStatus would), then tells its changes as Events. A patch
     * the API server refuses (409, see statusPatch) throws before any Event is written, so the retry that follows
     * tells each change once; Events written before the patch were written twice.
     */
    public static void publish(
            KubernetesClient client,
            EventRecorder events,
            TcpService tcps,
            TcpServiceStatus next,
            Consumer<TcpService> applyStatus) {
        applyStatus.accept(statusPatch(tcps, next));
        for (StatusEvents.Event event : StatusEvents.between(tcps.getStatus(), next)) {
            events.record(client, tcps, event.type(), event.reason(), event.message());
        }
    }

    /**
     * The status to apply, locked to the resourceVersion the reconcile read: the API server refuses it (409)
     * if the TcpService changed meanwhile, and JOSDK retries with the newer one. Unlocked, the patch would land
     * and answer with the new spec; JOSDK would then take that spec's watch event for the echo of its own write
     * and drop it, and the change would wait for the next periodic reconcile. That happens when the watch was
     * down during the change and the informer relists, as when the API server restarts during a reconcile
     * (JOSDK issue #3398).
     */
    public static TcpService statusPatch(TcpService read, TcpServiceStatus status) {
        TcpService patch = new TcpService();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(read.getMetadata().getName())
                .withNamespace(read.getMetadata().getNamespace())
                .withResourceVersion(read.getMetadata().getResourceVersion())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
