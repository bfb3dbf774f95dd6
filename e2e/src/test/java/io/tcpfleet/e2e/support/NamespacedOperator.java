package io.tcpfleet.e2e.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.OperatorProcess;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged operator as deploy/ runs it (its ServiceAccount's own token, leader election on),
 * but confined to one test namespace: it watches only that namespace and keeps its Lease there,
 * with deploy/rbac/leader-election.yaml bound there, so operators of other tests never share it.
 * Needs deploy/ installed (the ServiceAccount and its roles).
 */
public final class NamespacedOperator {

    private static final AtomicInteger STARTS = new AtomicInteger();

    private NamespacedOperator() {}

    /** The operator's kubeconfig: the ServiceAccount's TokenRequest token and nothing else. */
    public static Path kubeconfig(Kubectl admin, Path dir) {
        return ServiceAccountKubeconfig.write(admin, InstalledBase.NAMESPACE, InstalledBase.OPERATOR, dir);
    }

    /** Binds the leader-election role in namespace; call once per namespace. */
    public static void allowLeaseIn(KubernetesClient client, String namespace) {
        try (InputStream in = Files.newInputStream(RepoPaths.resolve("deploy/rbac/leader-election.yaml"))) {
            List<HasMetadata> items = client.load(in).items();
            for (HasMetadata item : items) {
                item.getMetadata().setNamespace(namespace);
                client.resource(item).inNamespace(namespace).create();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts one, its log in e2e/target/operators/NAME-N.log. */
    public static OperatorProcess start(String name, Path kubeconfig, String namespace) {
        Path log = RepoPaths.resolve("e2e/target/operators/" + name + "-" + STARTS.incrementAndGet() + ".log");
        return OperatorProcess.start(
                log,
                kubeconfig,
                Map.of(),
                Map.of("POD_NAMESPACE", namespace, "QUARKUS_OPERATOR_SDK_NAMESPACES", namespace));
    }
}
