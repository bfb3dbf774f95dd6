package io.tcpfleet.operator.it;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceSpec;
import java.time.Duration;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Creating TcpServices and waiting on what the operator reports about them. Not in the testkit: it
 * works on the operator's API classes, which the testkit cannot depend on.
 */
final class TcpServices {

    /** Generous: the build and the whole local cluster share two cores. */
    static final Duration PATIENCE = Duration.ofMinutes(3);

    private TcpServices() {}

    static ConditionFactory await(String what) {
        return Awaitility.await(what)
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions();
    }

    static TcpService create(KubernetesClient client, String namespace, String name, Consumer<TcpServiceSpec> spec) {
        TcpService tcps = new TcpService();
        tcps.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        tcps.setSpec(new TcpServiceSpec());
        spec.accept(tcps.getSpec());
        return client.resource(tcps).create();
    }

    static Resource<TcpService> get(KubernetesClient client, String namespace, String name) {
        return client.resources(TcpService.class).inNamespace(namespace).withName(name);
    }

    static Condition condition(TcpService tcps, String type) {
        if (tcps == null || tcps.getStatus() == null) {
            return null;
        }
        return tcps.getStatus().condition(type).orElse(null);
    }

    static boolean has(TcpService tcps, String type, String status) {
        Condition c = condition(tcps, type);
        return c != null && status.equals(c.getStatus());
    }

    static TcpService awaitCondition(
            KubernetesClient client, String namespace, String name, String type, String status) {
        await(namespace + "/" + name + " " + type + "=" + status)
                .until(() -> has(get(client, namespace, name).get(), type, status));
        return get(client, namespace, name).get();
    }
}
