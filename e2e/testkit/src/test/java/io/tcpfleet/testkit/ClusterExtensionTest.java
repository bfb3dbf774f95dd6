package io.tcpfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterExtensionTest {

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Test
    void namespaceNameSaysWhichTestMadeIt() {
        assertThat(ClusterExtension.namespaceNameFor("celRuleOfACrdRefusesIt"))
                .matches("t-cel-rule-of-a-crd-refuses-it-[a-z0-9]+");
    }

    @Test
    void namespaceNameOfALongTestIsAValidDnsLabel() {
        String name = ClusterExtension.namespaceNameFor("a".repeat(30) + "B" + "__x".repeat(40) + "Z");

        assertThat(name).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63).startsWith("t-" + "a".repeat(30) + "-b");
    }

    @Test
    void namespaceNamesOfOneTestDiffer() {
        assertThat(ClusterExtension.namespaceNameFor("same")).isNotEqualTo(ClusterExtension.namespaceNameFor("same"));
    }

    @Test
    void findsTheUpScriptFromADirectoryBelowTheCheckout() {
        Path moduleDir = Path.of("").toAbsolutePath();

        assertThat(LocalCluster.findUpScript(moduleDir.resolve("target")))
                .endsWith(LocalCluster.UP_SCRIPT)
                .isRegularFile();
    }
}
