package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.util.Optional;
import java.util.Set;

/**
 * The children's informer cache, holding each child with only the operator's own managedFields (see
 * {@link OwnManagedFields}); also the fleet pods' cache, where that leaves none.
 */
public class OwnManagedFieldsStore<R extends HasMetadata> extends BasicItemStore<R> {

    public OwnManagedFieldsStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    /** A child dependent's configuration with this store as its informer's cache, where that is safe. */
    static <R extends HasMetadata> Optional<KubernetesDependentResourceConfig<R>> cachingWith(
            KubernetesDependentResourceConfig<R> config, EventSourceContext<TcpService> context) {
        Set<String> namespaces = config.informerConfig().getEffectiveNamespaces(context.getControllerConfiguration());
        if (!fitsOneInformerFor(namespaces)) {
            return Optional.empty();
        }
        return Optional.of(new KubernetesDependentResourceConfig<>(
                config.useSSA(),
                config.createResourceOnlyIfNotExistingWithSSA(),
                InformerConfiguration.builder(config.informerConfig())
                        .withItemStore(new OwnManagedFieldsStore<>())
                        .build(),
                config.matcher()));
    }

    /**
     * Whether one informer serves these (effective) namespaces: all of them, or one. JOSDK 5.3 hands the same
     * ItemStore instance to the informer of each namespace in a list, and a re-list in one namespace would then
     * drop the other namespaces' children from it (fabric8's ProcessorStore.retainAll walks the whole store);
     * with a list of namespaces the children stay in fabric8's default store.
     */
    static boolean fitsOneInformerFor(Set<String> namespaces) {
        return InformerConfiguration.allNamespacesWatched(namespaces) || namespaces.size() == 1;
    }

    @Override
    public R put(String key, R resource) {
        return super.put(key, OwnManagedFields.keep(resource, TcpServiceResources.OPERATOR_NAME));
    }
}
