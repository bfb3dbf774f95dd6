package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.reconciler.ChildChanges;
import java.util.List;
import java.util.Set;

/** A server-side-applied child that reports its creation and every correction (told as Events by ChildChanges). */
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
        desired.getMetadata()
                .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(tcps.getApiVersion())
                        .withKind(tcps.getKind())
                        .withName(tcps.getMetadata().getName())
                        .withUid(tcps.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build()));
    }

    /** The informer caches each child with only the operator's own managedFields, where that is safe. */
    @Override
    protected InformerEventSource<R, TcpService> createEventSource(EventSourceContext<TcpService> context) {
        configuration().ifPresent(config -> {
            Set<String> namespaces =
                    config.informerConfig().getEffectiveNamespaces(context.getControllerConfiguration());
            if (OwnManagedFieldsStore.fitsOneInformerFor(namespaces)) {
                configureWith(new KubernetesDependentResourceConfig<>(
                        config.useSSA(),
                        config.createResourceOnlyIfNotExistingWithSSA(),
                        InformerConfiguration.builder(config.informerConfig())
                                .withItemStore(new OwnManagedFieldsStore<>())
                                .build(),
                        config.matcher()));
            }
        });
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
