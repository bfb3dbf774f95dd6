package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What the build does to the generated CRD (quarkus.operator-sdk.crd.post-processor takes one
 * class): columns in reading order, then a description on every schema node.
 */
public class CrdPostProcessor implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        return new SchemaDescriptions().process(new PrinterColumnOrder().process(crd, crdSpecVersion));
    }
}
