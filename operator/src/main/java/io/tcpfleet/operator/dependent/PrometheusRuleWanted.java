package io.tcpfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.model.EffectiveSpec;

/** Reconcile precondition: spec.monitoring.prometheusRule; when it turns false the PrometheusRule is deleted. */
public class PrometheusRuleWanted implements Condition<PrometheusRule, TcpService> {

    @Override
    public boolean isMet(
            DependentResource<PrometheusRule, TcpService> dependent, TcpService tcps, Context<TcpService> context) {
        return EffectiveSpec.of(tcps.getSpec()).prometheusRule();
    }
}
