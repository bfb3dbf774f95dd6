package io.tcpfleet.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.tcpfleet.e2e.load.EndpointSet;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real node of the local control plane (e2e/cluster/node.sh) with tcpfleet installed on it
 * from deploy/, once per test JVM: the operator runs as deploy/'s two pods, from the image that
 * make images built, in namespace {@value #SYSTEM}, watching {@value #FLEETS}, whose pods land on
 * the real node. A test that needs real pods takes a {@link RealNode} parameter
 * ({@code @ExtendWith(RealNode.Extension.class)}); it fails, never skips, when there is no real node.
 * The TcpServices a test leaves in {@value #FLEETS} are deleted after it.
 *
 * <p>The install differs from {@code kubectl apply -k deploy/} (which make demo runs as it is) only
 * where it must not meet other tests: its namespace, the watched namespace and the name of its
 * ClusterRoleBinding. Both namespaces go when the test JVM ends.
 */
public final class RealNode {

    public static final String NODE = "tcpfleet-node";
    public static final String SYSTEM = "tcpfleet-real-system";
    public static final String FLEETS = "tcpfleet-real";
    public static final String OPERATOR = "tcpfleet-operator";
    /** What e2e/cluster/node.sh's real_node_annotations say: this namespace's pods go to the real node. */
    public static final Map<String, String> ON_REAL_NODE = Map.of(
            "scheduler.alpha.kubernetes.io/node-selector",
            "tcpfleet.io/node=real",
            "scheduler.alpha.kubernetes.io/defaultTolerations",
            "[{\"key\":\"tcpfleet.io/real-node\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");

    private final KubernetesClient client;
    private final Kubectl kubectl;

    private RealNode(KubernetesClient client, Kubectl kubectl) {
        this.client = client;
        this.kubectl = kubectl;
    }

    public KubernetesClient client() {
        return client;
    }

    public Kubectl kubectl() {
        return kubectl;
    }

    public TcpServices tcpServices() {
        return new TcpServices(client, FLEETS);
    }

    static RealNode install() {
        KubernetesClient client = LocalCluster.shared().newClient();
        Node node = client.nodes().withName(NODE).get();
        if (node == null
                || node.getStatus().getConditions().stream()
                        .noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
            throw new IllegalStateException("the local control plane has no Ready real node " + NODE
                    + ": e2e/cluster/build.sh builds it and up.sh starts it (as root; logs in"
                    + " e2e/cluster/.state/logs/node/)");
        }
        Kubectl kubectl = InstalledBase.crds();
        for (String name : List.of(SYSTEM, FLEETS)) {
            client.namespaces().resource(realNodeNamespace(name)).serverSideApply();
        }
        String rendered = kubectl.ok("kustomize", RepoPaths.resolve("deploy").toString());
        for (HasMetadata o : beside(client, rendered, SYSTEM, FLEETS, "tcpfleet-real-")) {
            client.resource(o).fieldManager("real-node-e2e").forceConflicts().serverSideApply();
        }
        await("the operator's pods Ready on the real node")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Deployment d = client.apps()
                            .deployments()
                            .inNamespace(SYSTEM)
                            .withName(OPERATOR)
                            .get();
                    return d.getStatus() != null
                            && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
                });
        return new RealNode(client, kubectl);
    }

    /**
     * The objects of an install manifest (deploy/ rendered) moved beside the other tests' operators:
     * into namespace system, watching only fleets, its ClusterRoleBindings' names prefixed with
     * bindingPrefix. Without its Namespace: the caller creates system for the real node.
     */
    static List<HasMetadata> beside(
            KubernetesClient client, String manifest, String system, String fleets, String bindingPrefix) {
        List<HasMetadata> objects = new ArrayList<>();
        for (HasMetadata o : client.load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            if (o instanceof Namespace) {
                continue;
            }
            if (o instanceof ClusterRoleBinding binding) {
                binding.getMetadata()
                        .setName(bindingPrefix + binding.getMetadata().getName());
                binding.getSubjects().forEach(s -> s.setNamespace(system));
            }
            if (o instanceof RoleBinding binding) {
                binding.getSubjects().forEach(s -> s.setNamespace(system));
            }
            if (o instanceof Deployment deployment) {
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .add(new EnvVar("QUARKUS_OPERATOR_SDK_NAMESPACES", fleets, null));
            }
            if (o.getMetadata().getNamespace() != null) {
                o.getMetadata().setNamespace(system);
            }
            objects.add(o);
        }
        return objects;
    }

    /** Restricted Pod Security, as deploy/'s namespace, and the real node for every pod. */
    static Namespace realNodeNamespace(String name) {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/warn", "restricted")
                .addToLabels("tcpfleet.io/test", "true")
                .addToAnnotations(ON_REAL_NODE)
                .endMetadata()
                .build();
    }

    private void uninstall() {
        client.rbac()
                .clusterRoleBindings()
                .withName("tcpfleet-real-" + OPERATOR)
                .delete();
        client.namespaces().withName(FLEETS).delete();
        client.namespaces().withName(SYSTEM).delete();
        client.close();
    }

    /**
     * The archives into the real node's containerd, by the import script of the checkout whose
     * control plane this is (its kubeconfig lives in that checkout's e2e/cluster/.state/).
     */
    static void importImages(Path... archives) {
        Path script = LocalCluster.shared().kubeconfig().getParent().getParent().resolve("import-images.sh");
        assertThat(script).as("the cluster's import script").isRegularFile();
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        for (Path archive : archives) {
            command.add(archive.toString());
        }
        Processes.Result result = Processes.run(command, Map.of(), 300);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** The pods of TcpService {@code service} in {@value #FLEETS} that are not being deleted. */
    static List<Pod> fleetPods(KubernetesClient client, String service) {
        return client.pods().inNamespace(FLEETS).withLabel("tcpfleet.io/service", service).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    /** Those of them whose Ready condition is True. */
    static List<Pod> readyFleetPods(KubernetesClient client, String service) {
        return fleetPods(client, service).stream().filter(Readiness::isPodReady).toList();
    }

    /** An EndpointSet of the ClusterIP of the TcpService's Service on {@code port}: kube-proxy picks the pod. */
    static EndpointSet serviceEndpoint(KubernetesClient client, String service, int port) {
        EndpointSet endpoints = new EndpointSet();
        endpoints.add(new InetSocketAddress(
                client.services()
                        .inNamespace(FLEETS)
                        .withName(service)
                        .get()
                        .getSpec()
                        .getClusterIP(),
                port));
        return endpoints;
    }

    /** The body of GET url from this machine (a pod's metrics, say); empty when nothing answers within a second. */
    static String httpBody(String url) {
        return get(url, HttpResponse.BodyHandlers.ofString())
                .map(HttpResponse::body)
                .orElse("");
    }

    /** GET url from this machine (a pod's admin port, say); -1 when nothing answers within a second. */
    public static int httpStatus(String url) {
        return get(url, HttpResponse.BodyHandlers.discarding())
                .map(HttpResponse::statusCode)
                .orElse(-1);
    }

    private static <T> Optional<HttpResponse<T>> get(String url, HttpResponse.BodyHandler<T> body) {
        try {
            return Optional.of(HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(1))
                                    .build(),
                            body));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Resolves {@link RealNode}: installed on first use, uninstalled when the test JVM ends; after
     * each test, deletes the TcpServices in {@value #FLEETS}.
     */
    public static final class Extension implements ParameterResolver, AfterEachCallback {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RealNode.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return store(context)
                    .computeIfAbsent(Installed.class, k -> new Installed(install()), Installed.class)
                    .node();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            Installed installed = store(context).get(Installed.class, Installed.class);
            if (installed != null) {
                installed
                        .node()
                        .client()
                        .genericKubernetesResources(TcpServices.TCPS)
                        .inNamespace(FLEETS)
                        .delete();
            }
        }

        private static ExtensionContext.Store store(ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(RealNode.class));
        }
    }

    private record Installed(RealNode node) implements AutoCloseable {
        @Override
        public void close() {
            node.uninstall();
        }
    }
}
