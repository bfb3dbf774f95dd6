package io.tcpfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.DetailedCondition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;

/**
 * Activation condition of a dependent whose kind comes from an optional CRD: met while the CRD exists
 * and is Established. Unlike JOSDK's CRDPresentActivationCondition it never stops looking (a Prometheus
 * Operator installed a week later is still picked up): it reads the cache of the CRD's watch
 * (OptionalCrds), which also reconciles every TcpService when the CRD comes or goes. The detail
 * (Boolean) lets the reconciler report the dependent as skipped.
 */
abstract class CrdPresent<R extends HasMetadata> implements DetailedCondition<R, TcpService, Boolean> {

    private final String crdName;

    CrdPresent(String crdName) {
        this.crdName = crdName;
    }

    @Override
    public Result<Boolean> detailedIsMet(
            DependentResource<R, TcpService> dependent, TcpService tcps, Context<TcpService> context) {
        boolean present = OptionalCrds.established(context, crdName);
        return Result.withResult(present, present);
    }
}
