package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** The generator takes one post-processor: this one runs each step over the generated CRD, in order. */
public class TcpServiceCrdPostProcessor implements CRDPostProcessor {

    private static final List<CRDPostProcessor> STEPS = List.of(new PrinterColumnOrder(), new SchemaBounds());

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        HasMetadata result = crd;
        for (CRDPostProcessor step : STEPS) {
            result = step.process(result, crdSpecVersion);
        }
        return result;
    }
}
