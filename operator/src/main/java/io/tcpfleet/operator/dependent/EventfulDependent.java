package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.reconciler.EventRecorder;

/** A server-side-applied child that reports its creation and every correction as an Event on the TcpService. */
abstract class EventfulDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TcpService> {

    EventfulDependent(Class<R> type) {
        super(type);
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
