package io.tcpfleet.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Comparator;
import java.util.List;

/**
 * Puts `kubectl get tcps` columns in the order a reader wants them (the generator sorts them by JSON
 * path): Replicas, Ready, Handler, Port, Status, Age, then the -o wide ones. Runs at build time only.
 */
public class PrinterColumnOrder implements CRDPostProcessor {

    static final List<String> ORDER = List.of(
            "Replicas", "Ready", "Handler", "Port", "Status", "Age", "Updated", "Degraded", "Endpoint", "Image");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1) {
            PodFieldSchema.apply(v1); // the one post-processor QOSDK runs; see PodFieldSchema
            v1.getSpec().getVersions().forEach(v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                    v.getAdditionalPrinterColumns()
                            .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) ->
                                    ORDER.indexOf(c.getName()) < 0 ? ORDER.size() : ORDER.indexOf(c.getName())));
                }
            });
        }
        return crd;
    }
}
