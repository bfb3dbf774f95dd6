package io.tcpfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.config.MonitoringLabels;
import io.tcpfleet.operator.model.ServerPrometheusRule;
import io.tcpfleet.operator.model.TcpServiceResources;
import jakarta.inject.Inject;

/** Active only while the PrometheusRule CRD exists (PrometheusRuleCrdPresent); its informer starts then. */
@KubernetesDependent(informer = @Informer(labelSelector = TcpServiceResources.CHILD_SELECTOR))
public class PrometheusRuleDependent extends ChildDependent<PrometheusRule> {

    public static final String NAME = "prometheusrule";

    @Inject
    MonitoringLabels monitoringLabels;

    public PrometheusRuleDependent() {
        super(PrometheusRule.class);
    }

    @Override
    protected PrometheusRule desired(TcpService tcps, Context<TcpService> context) {
        return ServerPrometheusRule.build(tcps, monitoringLabels.labels());
    }
}
