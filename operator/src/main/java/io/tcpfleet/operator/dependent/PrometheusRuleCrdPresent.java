package io.tcpfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.tcpfleet.operator.model.ServerPrometheusRule;

/** Activation condition of the PrometheusRule dependent: met once the PrometheusRule CRD exists. */
public class PrometheusRuleCrdPresent extends CrdPresent<PrometheusRule> {

    public PrometheusRuleCrdPresent() {
        super(ServerPrometheusRule.CRD_NAME);
    }
}
