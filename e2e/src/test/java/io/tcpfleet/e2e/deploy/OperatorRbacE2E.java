package io.tcpfleet.e2e.deploy;

import static io.tcpfleet.e2e.support.InstalledBase.NAMESPACE;
import static io.tcpfleet.e2e.support.InstalledBase.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.e2e.support.InstalledBase;
import io.tcpfleet.e2e.support.ServiceAccountKubeconfig;
import io.tcpfleet.testkit.ClusterExtension;
import io.tcpfleet.testkit.Kubectl;
import io.tcpfleet.testkit.TestNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's ServiceAccount as installed by deploy/, seen through its own TokenRequest token:
 * it can do what the operator does and nothing like reading Secrets or wildcard grants.
 */
@ExtendWith(ClusterExtension.class)
class OperatorRbacE2E {

    /** One row of {@code kubectl auth can-i --list}: resource rows have a resource, URL rows do not. */
    record Rule(String resource, String nonResourceUrls, String resourceNames, String verbs) {}

    /**
     * What the operator touches, plus what Kubernetes lets every authenticated user do
     * (system:basic-user: self reviews; ClusterTrustBundle discovery, Kubernetes 1.33+).
     */
    private static final List<String> NEEDED = List.of(
            "tcpservices.tcpfleet.io",
            "tcpservices.tcpfleet.io/status",
            "tcpservices.tcpfleet.io/finalizers",
            "tcpservices.tcpfleet.io/scale",
            "deployments.apps",
            "services",
            "poddisruptionbudgets.policy",
            "pods",
            "servicemonitors.monitoring.coreos.com",
            "prometheusrules.monitoring.coreos.com",
            "events",
            "customresourcedefinitions.apiextensions.k8s.io",
            "leases.coordination.k8s.io",
            "selfsubjectreviews.authentication.k8s.io",
            "selfsubjectaccessreviews.authorization.k8s.io",
            "selfsubjectrulesreviews.authorization.k8s.io",
            "clustertrustbundles.certificates.k8s.io");

    private static final Pattern ROW =
            Pattern.compile("^(\\S+)?\\s*(\\[[^\\]]*\\])\\s+(\\[[^\\]]*\\])\\s+(\\[[^\\]]*\\])\\s*$");

    @TempDir
    static Path dir;

    private static Kubectl operator;

    @BeforeAll
    static void operatorToken() {
        operator = new Kubectl(ServiceAccountKubeconfig.write(InstalledBase.admin(), NAMESPACE, OPERATOR, dir));
    }

    @Test
    void tokenAuthenticatesAsTheOperatorServiceAccount() {
        String user = operator.ok("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");

        assertThat(user).isEqualTo("system:serviceaccount:" + NAMESPACE + ":" + OPERATOR);
    }

    @Test
    void accountMayDoWhatTheOperatorDoesInAnyNamespace(TestNamespace namespace) {
        String ns = namespace.name();

        assertThat(canI("watch", "tcpservices.tcpfleet.io", "-n", ns)).isTrue();
        assertThat(canI("patch", "tcpservices.tcpfleet.io", "--subresource=status", "-n", ns))
                .isTrue();
        for (String resource : List.of("deployments.apps", "services", "poddisruptionbudgets.policy")) {
            for (String verb : List.of("get", "list", "watch", "create", "patch")) {
                assertThat(canI(verb, resource, "-n", ns))
                        .as("%s %s", verb, resource)
                        .isTrue();
            }
        }
        assertThat(canI("create", "events", "-n", ns)).isTrue();
        assertThat(canI("patch", "events", "-n", ns))
                .as("a repeated Event raises its count")
                .isTrue();
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(canI(verb, "pods", "-n", ns)).as(verb + " pods").isTrue();
        }
        assertThat(canI("get", "customresourcedefinitions.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com"))
                .isTrue();
    }

    @Test
    void accountLeavesDeletionToTheGarbageCollector(TestNamespace namespace) {
        // Children carry owner references; the operator never deletes them itself.
        for (String resource : List.of("deployments.apps", "services", "poddisruptionbudgets.policy")) {
            assertThat(canI("delete", resource, "-n", namespace.name()))
                    .as("delete " + resource)
                    .isFalse();
        }
        assertThat(canI("delete", "pods", "-n", namespace.name()))
                .as("pods are only read")
                .isFalse();
        assertThat(canI("update", "tcpservices.tcpfleet.io", "-n", namespace.name()))
                .as("write spec")
                .isFalse();
        assertThat(canI("get", "customresourcedefinitions.apiextensions.k8s.io/tcpservices.tcpfleet.io"))
                .isFalse();
    }

    @Test
    void accountMayHoldItsLeaderElectionLease() {
        for (String verb : List.of("get", "create", "update")) {
            assertThat(canI(verb, "leases.coordination.k8s.io", "-n", NAMESPACE))
                    .as(verb)
                    .isTrue();
        }
    }

    @Test
    void accountCannotTouchSecretsOrGrantItselfMore(TestNamespace namespace) {
        String ns = namespace.name();

        for (String verb : List.of("get", "list", "watch")) {
            assertThat(canI(verb, "secrets", "-n", ns))
                    .as(verb + " secrets in " + ns)
                    .isFalse();
            assertThat(canI(verb, "secrets", "-n", NAMESPACE))
                    .as(verb + " secrets in " + NAMESPACE)
                    .isFalse();
        }
        assertThat(canI("create", "pods", "--subresource=exec", "-n", ns)).isFalse();
        assertThat(canI("create", "clusterrolebindings.rbac.authorization.k8s.io"))
                .isFalse();
        assertThat(canI("create", "serviceaccounts", "--subresource=token", "-n", NAMESPACE))
                .isFalse();
    }

    @Test
    void canIListShowsNoWildcardAndNoSecrets(TestNamespace namespace) {
        for (String ns : List.of(namespace.name(), NAMESPACE)) {
            List<Rule> resourceRules = resourceRules(ns);

            assertThat(resourceRules)
                    .as("resource rules in " + ns)
                    .isNotEmpty()
                    .extracting(Rule::resource)
                    .contains("tcpservices.tcpfleet.io", "deployments.apps");
            assertThat(resourceRules).as("rules in %s", ns).allSatisfy(r -> {
                assertThat(r.verbs()).doesNotContain("*");
                assertThat(r.resource()).isNotEqualTo("*").doesNotStartWith("*.");
                assertThat(r.resource()).doesNotStartWith("secrets");
            });
        }
    }

    @Test
    void canIListShowsNothingBeyondWhatTheOperatorUses(TestNamespace namespace) {
        for (String ns : List.of(namespace.name(), NAMESPACE)) {
            assertThat(resourceRules(ns))
                    .extracting(Rule::resource)
                    .as("resources the account may touch in " + ns)
                    .isSubsetOf(NEEDED);
        }
    }

    private static List<Rule> resourceRules(String namespace) {
        return rules(operator.ok("auth", "can-i", "--list", "-n", namespace)).stream()
                .filter(r -> r.resource() != null)
                .toList();
    }

    /** kubectl auth can-i exits 0 for yes, 1 for no; anything else is an error. */
    private static boolean canI(String verb, String resource, String... more) {
        List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource));
        args.addAll(List.of(more));
        var result = operator.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isIn(0, 1);
        return result.exitCode() == 0;
    }

    static List<Rule> rules(String canIList) {
        List<Rule> rules = new ArrayList<>();
        for (String line : canIList.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rules.add(new Rule(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        assertThat(rules).as("rows parsed from:\n" + canIList).isNotEmpty();
        return rules;
    }
}
