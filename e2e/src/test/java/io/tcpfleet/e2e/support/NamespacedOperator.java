package io.tcpfleet.e2e.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator as deploy/ runs it (its ServiceAccount's own token, leader election on),
 * but confined to one test namespace: it watches only that namespace and keeps its Lease there,
 * with deploy/rbac/leader-election.yaml bound there, so operators of other tests never share it.
 * Needs deploy/ installed (the ServiceAccount and its roles).
 */
public final class NamespacedOperator {

    public static final String SYSTEM_NAMESPACE = "tcpfleet-system";
    public static final String ACCOUNT = "tcpfleet-operator";

    private NamespacedOperator() {}

    /** The operator's kubeconfig: the ServiceAccount's TokenRequest token and nothing else. */
    public static Path kubeconfig(Kubectl admin, Path dir) {
        return ServiceAccountKubeconfig.write(admin, SYSTEM_NAMESPACE, ACCOUNT, dir);
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

    public static OperatorProcess start(String name, Path kubeconfig, String namespace) {
        return OperatorProcess.start(
                name, kubeconfig, Map.of("POD_NAMESPACE", namespace, "QUARKUS_OPERATOR_SDK_NAMESPACES", namespace));
    }
}
