package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.util.List;

/**
 * A child of a TcpService, applied server-side: controlled by the TcpService, cached by its informer with
 * only the operator's own managedFields ({@link OwnManagedFieldsStore}), its creation and every correction
 * recorded in {@link ChildChanges}.
 */
abstract class ChildDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TcpService> {

    ChildDependent(Class<R> type) {
        super(type);
    }

    /** The controller reference; JOSDK alone would set a plain owner reference. */
    @Override
    protected void addReferenceHandlingMetadata(R desired, TcpService tcps) {
        desired.getMetadata().setOwnerReferences(List.of(TcpServiceResources.controllerReference(tcps)));
    }

    @Override
    protected InformerEventSource<R, TcpService> createEventSource(EventSourceContext<TcpService> context) {
        configuration()
                .flatMap(config -> OwnManagedFieldsStore.cachingWith(config, context))
                .ifPresent(this::configureWith);
        return super.createEventSource(context);
    }

    @Override
    public R create(R desired, TcpService tcps, Context<TcpService> context) {
        R created = super.create(desired, tcps, context);
        ChildChanges.of(context).created(desired);
        return created;
    }

    @Override
    public R update(R actual, R desired, TcpService tcps, Context<TcpService> context) {
        R updated = super.update(actual, desired, tcps, context);
        ChildChanges.of(context).updated(desired);
        return updated;
    }
}
