package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpService;

/** The PodDisruptionBudget from spec.disruption; a broken pod never blocks a node drain (AlwaysAllow). */
public final class ServerDisruptionBudget {

    private ServerDisruptionBudget() {}

    public static PodDisruptionBudget build(TcpService tcps) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        return new PodDisruptionBudgetBuilder()
                .withMetadata(TcpServiceResources.metadata(tcps, TcpServiceResources.pdbName(tcps)))
                .withNewSpec()
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(TcpServiceResources.selectorLabels(tcps))
                        .build())
                .withMinAvailable(spec.minAvailable().orElse(null))
                .withMaxUnavailable(spec.maxUnavailable().orElse(null))
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .endSpec()
                .build();
    }
}
