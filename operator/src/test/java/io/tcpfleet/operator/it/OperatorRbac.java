package io.tcpfleet.operator.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.testkit.LocalCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed deploy/rbac, installed for the operator's ServiceAccount, which the tests run the operator as. */
final class OperatorRbac {

    static final Path DIR = Path.of("..", "deploy", "rbac");
    static final String NAMESPACE = "tcpfleet-system";
    static final String SERVICE_ACCOUNT = "tcpfleet-operator";
    static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;

    private OperatorRbac() {}

    static void install() {
        try (KubernetesClient client = LocalCluster.shared().newClient()) {
            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .fieldManager("tcpfleet-it")
                    .serverSideApply();
            client.resource(new ServiceAccountBuilder()
                            .withNewMetadata()
                            .withName(SERVICE_ACCOUNT)
                            .withNamespace(NAMESPACE)
                            .endMetadata()
                            .build())
                    .fieldManager("tcpfleet-it")
                    .serverSideApply();
            for (HasMetadata item : load()) {
                client.resource(item)
                        .fieldManager("tcpfleet-it")
                        .forceConflicts()
                        .serverSideApply();
            }
        }
    }

    static List<HasMetadata> load() {
        try (KubernetesClient client = LocalCluster.shared().newClient();
                var files = Files.list(DIR)) {
            return files.filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .flatMap(f -> {
                        try (InputStream in = Files.newInputStream(f)) {
                            return client.load(in).items().stream();
                        } catch (IOException e) {
                            throw new IllegalStateException("cannot read " + f, e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + DIR.toAbsolutePath(), e);
        }
    }
}
