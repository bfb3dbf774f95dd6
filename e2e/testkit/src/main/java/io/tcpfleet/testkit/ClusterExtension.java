package io.tcpfleet.testkit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a test class against {@link LocalCluster#shared()}. Resolves parameters of type
 * {@link KubernetesClient} (an admin client, one per test class, closed after it) and {@link
 * TestNamespace} (a fresh namespace per test, labelled {@value #TEST_LABEL}, deleted after the
 * test). The namespace is ready for pods: its {@code default} ServiceAccount exists.
 */
public final class ClusterExtension implements ParameterResolver {

    /** Label on every namespace this extension creates. */
    public static final String TEST_LABEL = "tcpfleet.io/test";

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ClusterExtension.class);
    private static final long READY_SECONDS = 60;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubernetesClient.class || type == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == KubernetesClient.class) {
            return client(context);
        }
        return context.getStore(STORE)
                .computeIfAbsent(
                        OwnedNamespace.class,
                        key -> OwnedNamespace.create(client(context), context),
                        OwnedNamespace.class)
                .namespace();
    }

    private static KubernetesClient client(ExtensionContext context) {
        return classContext(context)
                .getStore(STORE)
                .computeIfAbsent(
                        ClientHolder.class,
                        key -> new ClientHolder(LocalCluster.shared().newClient()),
                        ClientHolder.class)
                .client();
    }

    /** The client lives as long as the test class: walk up from a method's (or invocation's) context. */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /**
     * "t-" + the test's name in kebab case, cut to 40 characters, + a random suffix: a valid
     * namespace name (DNS label, at most 63 characters) that says which test made it.
     */
    static String namespaceNameFor(String testName) {
        String base = testName.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-");
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
        return ("t-" + base + "-" + suffix).replaceAll("-+", "-");
    }

    /** Closed by JUnit when the class context ends. */
    private record ClientHolder(KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** A namespace created for one test; JUnit closes (deletes) it when the test's context ends. */
    private record OwnedNamespace(KubernetesClient client, TestNamespace namespace) implements AutoCloseable {

        static OwnedNamespace create(KubernetesClient client, ExtensionContext context) {
            String name = namespaceNameFor(context.getTestMethod()
                    .map(Method::getName)
                    .orElseGet(() -> context.getRequiredTestClass().getSimpleName()));
            Namespace namespace = new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .addToLabels(TEST_LABEL, "true")
                    .endMetadata()
                    .build();
            client.namespaces().resource(namespace).create();
            // Pods are refused until the ServiceAccount controller has made the default account.
            client.serviceAccounts()
                    .inNamespace(name)
                    .withName("default")
                    .waitUntilCondition(Objects::nonNull, READY_SECONDS, TimeUnit.SECONDS);
            return new OwnedNamespace(client, new TestNamespace(name));
        }

        @Override
        public void close() {
            client.namespaces().withName(namespace.name()).delete();
        }
    }
}
