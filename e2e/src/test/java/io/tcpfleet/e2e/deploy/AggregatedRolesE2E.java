package io.tcpfleet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcpfleet.e2e.rollout.TcpServices;
import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.ServiceAccountKubeconfig;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.Processes;
import io.tcpfleet.testkit.RepoPaths;
import io.tcpfleet.testkit.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/rbac/user-roles.yaml as a namespace's users meet it: accounts bound in one namespace to
 * the built-in admin or view ClusterRole, each acting with its own TokenRequest token. Nobody
 * wrote a rule for TcpServices; the aggregation labels are what grant them.
 */
@ExtendWith(ClusterExtension.class)
class AggregatedRolesE2E {

    private static final String TCPSERVICE = "tcpservices.tcpfleet.io";

    @TempDir
    static Path dir;

    private static Kubectl admin;
    private static Path echo;

    @BeforeAll
    static void installed() throws IOException {
        admin = InstalledBase.admin();
        echo = Files.writeString(dir.resolve("echo.yaml"), TcpServices.echo("echo", 1, 7000, "1s", "5s", ""));
    }

    @Test
    void aNamespaceAdminManagesTcpServicesInItsNamespaceOnly(TestNamespace namespace, KubernetesClient client) {
        String ns = namespace.name();
        Kubectl user = boundTo("admin", ns);
        String other = otherNamespace(client, ns);
        try {
            user.ok("create", "-f", echo.toString());
            user.ok("patch", "tcpservice", "echo", "--type=merge", "-p", "{\"spec\":{\"port\":7001}}");
            user.ok("scale", "tcpservice", "echo", "--replicas=2");

            assertThat(admin.ok("-n", ns, "get", "tcpservice", "echo", "-o", "jsonpath={.spec.port} {.spec.replicas}"))
                    .isEqualTo("7001 2");
            assertThat(canI(user, "patch", TCPSERVICE, "--subresource=status", "-n", ns))
                    .as("status is the operator's to write")
                    .isFalse();
            user.ok("delete", "tcpservice", "echo", "--wait=false");
            assertForbidden(user.run("-n", other, "create", "-f", echo.toString()));
            assertThat(canI(user, "list", TCPSERVICE, "-n", other)).isFalse();
        } finally {
            client.namespaces().withName(other).delete();
        }
    }

    @Test
    void aViewerReadsTcpServicesButCannotChangeThem(TestNamespace namespace) {
        String ns = namespace.name();
        Kubectl viewer = boundTo("view", ns);
        admin.ok("-n", ns, "create", "-f", echo.toString());

        assertThat(viewer.ok("get", "tcpservices", "-o", "name").trim()).isEqualTo("tcpservice.tcpfleet.io/echo");
        viewer.ok("get", "tcpservice", "echo", "-o", "jsonpath={.status}");
        assertForbidden(viewer.run("create", "-f", echo.toString()));
        assertForbidden(viewer.run("delete", "tcpservice", "echo"));
        assertForbidden(viewer.run("scale", "tcpservice", "echo", "--replicas=2"));
    }

    /**
     * The negative control: with the aggregation labels taken off tcpfleet-edit, the same admin
     * account loses TcpServices; put back as deploy/ has them, it has them again.
     */
    @Test
    void theAggregationLabelsAreWhatGrantTheAdmin(TestNamespace namespace) {
        String ns = namespace.name();
        Kubectl user = boundTo("admin", ns);
        assertThat(admin.ok(
                                "get",
                                "clusterroles",
                                "-l",
                                "rbac.authorization.k8s.io/aggregate-to-admin=true,app.kubernetes.io/name=tcpfleet-operator",
                                "-o",
                                "name")
                        .trim())
                .as("only deploy/'s role aggregates TcpServices into admin (no leftover Helm release)")
                .isEqualTo("clusterrole.rbac.authorization.k8s.io/tcpfleet-edit");
        assertThat(canI(user, "create", TCPSERVICE, "-n", ns)).isTrue();

        try {
            admin.ok(
                    "label",
                    "clusterrole",
                    "tcpfleet-edit",
                    "rbac.authorization.k8s.io/aggregate-to-admin-",
                    "rbac.authorization.k8s.io/aggregate-to-edit-");
            awaitCanI(user, "create", ns, false);
            assertThat(canI(user, "get", TCPSERVICE, "-n", ns))
                    .as("view's rules reach admin too (admin aggregates view's)")
                    .isTrue();
        } finally {
            admin.ok(
                    "apply",
                    "--server-side",
                    "--force-conflicts",
                    "-f",
                    RepoPaths.resolve("deploy/rbac/user-roles.yaml").toString());
        }
        awaitCanI(user, "create", ns, true);
    }

    /** A ServiceAccount in namespace, bound there to the built-in ClusterRole role; its kubectl. */
    private static Kubectl boundTo(String role, String namespace) {
        String account = "team-" + role;
        admin.ok("-n", namespace, "create", "serviceaccount", account);
        admin.ok(
                "-n",
                namespace,
                "create",
                "rolebinding",
                account,
                "--clusterrole=" + role,
                "--serviceaccount=" + namespace + ":" + account);
        return new Kubectl(ServiceAccountKubeconfig.write(admin, namespace, account, dir));
    }

    private static String otherNamespace(KubernetesClient client, String namespace) {
        String other = namespace + "-other";
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(other)
                        .addToLabels(ClusterExtension.TEST_LABEL, "true")
                        .endMetadata()
                        .build())
                .create();
        return other;
    }

    private static void assertForbidden(Processes.Result result) {
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.stderr()).contains("Forbidden");
    }

    /** The RBAC controller rewrites the aggregated role a moment after a label changes. */
    private static void awaitCanI(Kubectl user, String verb, String namespace, boolean expected) {
        await(verb + " tcpservices " + (expected ? "allowed" : "denied"))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> canI(user, verb, TCPSERVICE, "-n", namespace) == expected);
    }

    /** kubectl auth can-i exits 0 for yes, 1 for no; anything else is an error. */
    private static boolean canI(Kubectl user, String verb, String resource, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "auth";
        args[1] = "can-i";
        args[2] = verb;
        args[3] = resource;
        System.arraycopy(more, 0, args, 4, more.length);
        Processes.Result result = user.run(args);
        assertThat(result.exitCode()).as(result.stderr()).isIn(0, 1);
        return result.exitCode() == 0;
    }
}
