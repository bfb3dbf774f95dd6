package io.tcpfleet.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpfleet.testkit.LocalCluster;
import io.tcpfleet.testkit.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator started the way people first try it, {@code java -jar} with a kubeconfig, where its
 * leader-election Lease cannot go: one line naming the namespace and the setting, then exit 1,
 * instead of a stack trace every few seconds and no reconciling.
 */
class LeaseNamespaceIT {

    private static final Duration EXIT = Duration.ofMinutes(2);

    @Test
    void aMissingLeaseNamespaceIsOneLineAndExitOne() {
        OperatorProcess operator = OperatorProcess.launch(
                Path.of("target", "operator-it-lease-missing.log"),
                LocalCluster.shared().kubeconfig(),
                Map.of("tcpfleet.operator.namespace", "no-such-namespace"),
                Map.of());
        try {
            assertThat(operator.awaitExit(EXIT)).isEqualTo(1);
            assertThat(problemLines(operator))
                    .singleElement()
                    .asString()
                    .contains("namespace 'no-such-namespace'")
                    .contains("does not exist")
                    .contains("tcpfleet.operator.namespace")
                    .contains("tcpfleet.operator.leader-election=false");
            assertNoStackTrace(operator);
        } finally {
            operator.kill();
        }
    }

    @Test
    void aLeaseNamespaceTheOperatorMayNotWriteIsOneLineAndExitOne() {
        OperatorRbac.install();
        OperatorProcess operator = OperatorProcess.launch(
                Path.of("target", "operator-it-lease-forbidden.log"),
                LocalCluster.shared().kubeconfig(),
                Map.of(
                        "kubernetes.impersonate.username",
                        OperatorRbac.USER,
                        // exists, but the committed RBAC grants Leases only in the operator's own namespace
                        "tcpfleet.operator.namespace",
                        "default"),
                Map.of());
        try {
            assertThat(operator.awaitExit(EXIT)).isEqualTo(1);
            assertThat(problemLines(operator))
                    .singleElement()
                    .asString()
                    .contains("not allowed to create Leases in namespace 'default'")
                    .contains("tcpfleet.operator.namespace");
            assertNoStackTrace(operator);
        } finally {
            operator.kill();
        }
    }

    private static List<String> problemLines(OperatorProcess operator) {
        return operator.logText()
                .lines()
                .filter(line -> line.contains("leader election cannot start"))
                .toList();
    }

    private static void assertNoStackTrace(OperatorProcess operator) {
        assertThat(operator.logText().lines())
                .as("log %s", operator.log())
                .noneMatch(line -> line.startsWith("\tat "))
                .noneMatch(line -> line.contains("Exception occurred while acquiring lock"));
    }
}
