package io.tcpfleet.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import org.junit.jupiter.api.Test;

class OptionalCrdsTest {

    @Test
    void aCrdCountsOnlyOnceEstablished() {
        assertThat(OptionalCrds.established(crd(null)))
                .as("just created, no status yet")
                .isFalse();
        assertThat(OptionalCrds.established(crd("False"))).isFalse();
        assertThat(OptionalCrds.established(crd("True"))).isTrue();
    }

    @Test
    void everyTcpServiceIsReconciledOnlyWhenEstablishedFlips() {
        assertThat(OptionalCrds.establishedChanged(crd(null), crd("True")))
                .as("installed")
                .isTrue();
        assertThat(OptionalCrds.establishedChanged(crd("True"), crd("False"))).isTrue();
        assertThat(OptionalCrds.establishedChanged(crd("True"), crd("True")))
                .as("another change, such as a new version of the Prometheus Operator's CRD")
                .isFalse();
        assertThat(OptionalCrds.establishedChanged(crd(null), crd("False"))).isFalse();
    }

    private static CustomResourceDefinition crd(String established) {
        CustomResourceDefinitionBuilder b = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("servicemonitors.monitoring.coreos.com")
                .endMetadata();
        if (established != null) {
            b.withNewStatus()
                    .addNewCondition()
                    .withType("NamesAccepted")
                    .withStatus("True")
                    .endCondition()
                    .addNewCondition()
                    .withType("Established")
                    .withStatus(established)
                    .endCondition()
                    .endStatus();
        }
        return b.build();
    }
}
