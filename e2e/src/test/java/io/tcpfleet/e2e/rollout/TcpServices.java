package io.tcpfleet.e2e.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * TcpServices on the local control plane as YAML, and the pod templates the operator makes of them.
 * The operator's own tests have theirs, on the operator's API classes.
 */
public final class TcpServices {

    public static final ResourceDefinitionContext TCPS = new ResourceDefinitionContext.Builder()
            .withGroup("tcpfleet.io")
            .withVersion("v1alpha1")
            .withKind("TcpService")
            .withPlural("tcpservices")
            .withNamespaced(true)
            .build();

    private final KubernetesClient client;
    private final String namespace;

    public TcpServices(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Creates or replaces a TcpService from YAML (its metadata.namespace is set here). */
    public void apply(String yaml) {
        GenericKubernetesResource r = client.getKubernetesSerialization()
                .unmarshal(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        GenericKubernetesResource.class);
        r.getMetadata().setNamespace(namespace);
        client.genericKubernetesResources(TCPS)
                .inNamespace(namespace)
                .resource(r)
                .fieldManager("reliability-e2e")
                .forceConflicts()
                .serverSideApply();
    }

    /** The Deployment's pod template once the operator has written one whose config hash is not {@code previousHash}. */
    public PodTemplate awaitTemplate(String name, String previousHash) {
        AtomicReference<PodTemplate> seen = new AtomicReference<>();
        Awaitility.await("operator writes Deployment " + namespace + "/" + name + " with a new pod template")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    Deployment d = client.apps()
                            .deployments()
                            .inNamespace(namespace)
                            .withName(name)
                            .get();
                    if (d == null) {
                        return false;
                    }
                    PodTemplate t = PodTemplate.of(d);
                    seen.set(t);
                    return !Objects.equals(t.configHash(), previousHash);
                });
        return seen.get();
    }

    /**
     * A TcpService of the echo handler for these tests: short drain so a rollout takes seconds.
     * {@code extra} is appended under spec (indented two spaces).
     */
    public static String echo(
            String name, int replicas, int port, String drainDelay, String drainTimeout, String extra) {
        return """
                apiVersion: tcpfleet.io/v1alpha1
                kind: TcpService
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  handler: echo
                  port: %d
                  connections:
                    max: 1000
                    idleTimeout: 60s
                  drain:
                    delay: %s
                    timeout: %s
                %s""".formatted(name, replicas, port, drainDelay, drainTimeout, extra);
    }
}
