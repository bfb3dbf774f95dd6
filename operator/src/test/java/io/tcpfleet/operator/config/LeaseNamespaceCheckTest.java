package io.tcpfleet.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class LeaseNamespaceCheckTest {

    @Test
    void aMissingNamespaceOrMissingRightsStopTheOperator() {
        assertThat(LeaseNamespaceCheck.describe("ops", new KubernetesClientException("not found", 404, null)))
                .hasValueSatisfying(line -> assertThat(line).contains("'ops'").doesNotContain("\n"));
        assertThat(LeaseNamespaceCheck.describe("ops", new KubernetesClientException("forbidden", 403, null)))
                .hasValueSatisfying(line -> assertThat(line).contains("'ops'").doesNotContain("\n"));
    }

    /** An API server that is not up yet or overloaded may be fine a moment later: the Lease client retries. */
    @Test
    void otherFailuresAreLeftToTheRetries() {
        assertThat(LeaseNamespaceCheck.describe("ops", new KubernetesClientException("unavailable", 503, null)))
                .isEmpty();
        assertThat(LeaseNamespaceCheck.describe("ops", new KubernetesClientException("connection refused")))
                .isEmpty();
    }
}
