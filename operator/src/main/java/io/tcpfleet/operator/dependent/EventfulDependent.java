package io.tcpfleet.operator.dependent;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.reconciler.EventRecorder;

/** A server-side-applied child that reports its creation and every correction as an Event on the TcpService. */
abstract class EventfulDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TcpService> {

    EventfulDependent(Class<R> type) {
        super(type);
    }

    /**
     * The TcpService as the controlling owner (kubectl shows "Controlled By"), blocking its deletion
     * until the child is gone in foreground deletion; JOSDK alone would set a plain owner reference.
     */
    @Override
    protected void addReferenceHandlingMetadata(R desired, TcpService tcps) {
        desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion(tcps.getApiVersion())
                .withKind(tcps.getKind())
                .withName(tcps.getMetadata().getName())
                .withUid(tcps.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build()));
    }

    @Override
    public R create(R desired, TcpService tcps, Context<TcpService> context) {
        R created = super.create(desired, tcps, context);
        EventRecorder.normal(context.getClient(), tcps, "Created",
                "created " + desired.getKind() + " " + desired.getMetadata().getName());
        return created;
    }

    @Override
    public R update(R actual, R desired, TcpService tcps, Context<TcpService> context) {
        R updated = super.update(actual, desired, tcps, context);
        EventRecorder.normal(context.getClient(), tcps, "Updated",
                "updated " + desired.getKind() + " " + desired.getMetadata().getName() + " to the desired state");
        return updated;
    }
}
