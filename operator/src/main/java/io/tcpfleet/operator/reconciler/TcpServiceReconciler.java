package io.tcpfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.dependent.ChildChanges;
import io.tcpfleet.operator.dependent.DeploymentDependent;
import io.tcpfleet.operator.dependent.FleetPods;
import io.tcpfleet.operator.dependent.MetricsServiceDependent;
import io.tcpfleet.operator.dependent.OptionalCrds;
import io.tcpfleet.operator.dependent.PodDisruptionBudgetDependent;
import io.tcpfleet.operator.dependent.PrometheusRuleCrdPresent;
import io.tcpfleet.operator.dependent.PrometheusRuleDependent;
import io.tcpfleet.operator.dependent.PrometheusRuleWanted;
import io.tcpfleet.operator.dependent.ServiceDependent;
import io.tcpfleet.operator.dependent.ServiceMonitorCrdPresent;
import io.tcpfleet.operator.dependent.ServiceMonitorDependent;
import io.tcpfleet.operator.dependent.ServiceMonitorWanted;
import io.tcpfleet.operator.fleet.ConnectionAutoscaler;
import io.tcpfleet.operator.fleet.ConnectionRebalancer;
import io.tcpfleet.operator.fleet.RebalancePlan;
import io.tcpfleet.operator.model.EffectiveSpec;
import io.tcpfleet.operator.model.ServerPrometheusRule;
import io.tcpfleet.operator.model.ServerServiceMonitor;
import io.tcpfleet.operator.model.TcpServiceResources;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/** Children come from the workflow; this class only turns what they show into status and Events. */
@Workflow(
        dependents = {
            @Dependent(name = DeploymentDependent.NAME, type = DeploymentDependent.class),
            @Dependent(name = ServiceDependent.NAME, type = ServiceDependent.class),
            @Dependent(
                    name = MetricsServiceDependent.NAME,
                    type = MetricsServiceDependent.class,
                    useEventSourceWithName = ServiceDependent.NAME),
            @Dependent(name = PodDisruptionBudgetDependent.NAME, type = PodDisruptionBudgetDependent.class),
            @Dependent(
                    name = ServiceMonitorDependent.NAME,
                    type = ServiceMonitorDependent.class,
                    activationCondition = ServiceMonitorCrdPresent.class,
                    reconcilePrecondition = ServiceMonitorWanted.class),
            @Dependent(
                    name = PrometheusRuleDependent.NAME,
                    type = PrometheusRuleDependent.class,
                    activationCondition = PrometheusRuleCrdPresent.class,
                    reconcilePrecondition = PrometheusRuleWanted.class)
        })
@ControllerConfiguration(name = TcpServiceReconciler.NAME, fieldManager = TcpServiceResources.OPERATOR_NAME)
@RBACRule(
        apiGroups = "",
        resources = "events",
        verbs = {RBACVerbs.CREATE, RBACVerbs.PATCH})
@RBACRule(
        apiGroups = "",
        resources = "pods",
        verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH, RBACVerbs.PATCH})
@RBACRule(
        apiGroups = "tcpfleet.io",
        resources = "tcpservices/scale",
        verbs = {RBACVerbs.GET, RBACVerbs.UPDATE})
@RBACRule(
        apiGroups = "apiextensions.k8s.io",
        resources = "customresourcedefinitions",
        resourceNames = {ServerServiceMonitor.CRD_NAME, ServerPrometheusRule.CRD_NAME},
        verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
public class TcpServiceReconciler implements Reconciler<TcpService> {

    private static final Logger LOG = Logger.getLogger(TcpServiceReconciler.class);

    public static final String NAME = "tcpservice";

    private final EventRecorder events = EventRecorder.ofThisProcess();

    @Inject
    ConnectionAutoscaler autoscaler;

    @Inject
    ConnectionRebalancer rebalancer;

    @Override
    public UpdateControl<TcpService> reconcile(TcpService tcps, Context<TcpService> context) {
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        MonitoringState monitoring = optionalState(spec.serviceMonitor(), ServiceMonitorDependent.NAME, context);
        MonitoringState alerting = optionalState(spec.prometheusRule(), PrometheusRuleDependent.NAME, context);
        TcpServiceStatus next = TcpServiceStatusAggregator.aggregate(
                tcps, deployment, context.getSecondaryResources(Pod.class), monitoring, alerting, Instant.now());
        tellChildChanges(tcps, context);
        patchIfChanged(tcps, next, context);
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        if (tcps.getSpec().getAutoscaling() != null) {
            autoscaler.evaluate(tcps, pods, Instant.now()).ifPresent(decision -> scale(tcps, decision, context));
        }
        if (tcps.getSpec().getRebalance() != null) {
            rebalancer.evaluate(tcps, pods, Instant.now()).ifPresent(round -> rebalance(tcps, pods, round, context));
        }
        if (tcps.getSpec().getAutoscaling() != null || tcps.getSpec().getRebalance() != null) {
            return UpdateControl.<TcpService>noUpdate().rescheduleAfter(ConnectionAutoscaler.INTERVAL);
        }
        // No requeue while a monitoring CRD is missing: its watch (OptionalCrds) brings every TcpService back.
        return UpdateControl.noUpdate();
    }

    @Override
    public List<EventSource<?, TcpService>> prepareEventSources(EventSourceContext<TcpService> context) {
        return List.of(
                OptionalCrds.eventSource(ServerServiceMonitor.CRD_NAME, context),
                OptionalCrds.eventSource(ServerPrometheusRule.CRD_NAME, context),
                FleetPods.eventSource(context));
    }

    @Override
    public ErrorStatusUpdateControl<TcpService> updateErrorStatus(
            TcpService tcps, Context<TcpService> context, Exception e) {
        if (e instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            // reconcile()'s status patch lost its lock (see StatusWriter.statusPatch): the TcpService changed
            // while it ran. Not a failure to show in status or Events: JOSDK logs it and retries with the newer one.
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        TcpServiceStatus next = TcpServiceStatusAggregator.withError(tcps, e, Instant.now());
        tellChildChanges(tcps, context); // what the workflow did before it failed
        try {
            patchIfChanged(tcps, next, context);
        } catch (KubernetesClientException patchFailed) {
            // 409: the TcpService changed meanwhile (see StatusWriter.statusPatch); the retry reads it again.
            LOG.logf(
                    patchFailed.getCode() == HttpURLConnection.HTTP_CONFLICT ? Logger.Level.INFO : Logger.Level.WARN,
                    "status of %s/%s not patched after a failed reconcile, retried with it: %s",
                    tcps.getMetadata().getNamespace(),
                    tcps.getMetadata().getName(),
                    patchFailed.getMessage());
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing(); // JOSDK retries the reconcile
    }

    /**
     * spec.replicas through the scale subresource, only if it still holds what the decision started from; the
     * write carries the resourceVersion it read, so another writer's change meanwhile answers 409. Either way the
     * next read decides again.
     */
    private void scale(TcpService tcps, ConnectionAutoscaler.Decision decision, Context<TcpService> context) {
        Resource<TcpService> resource = context.getClient()
                .resources(TcpService.class)
                .inNamespace(tcps.getMetadata().getNamespace())
                .withName(tcps.getMetadata().getName());
        try {
            Scale scale = resource.scale();
            if (scale.getSpec().getReplicas() == null || scale.getSpec().getReplicas() != decision.from()) {
                return;
            }
            scale.getSpec().setReplicas(decision.replicas());
            resource.scale(scale);
            events.normal(context.getClient(), tcps, "Scaled", decision.message());
        } catch (KubernetesClientException e) {
            LOG.infof(
                    "autoscaling of %s/%s not written, decided again at the next read: %s",
                    tcps.getMetadata().getNamespace(), tcps.getMetadata().getName(), e.getMessage());
        }
    }

    private void rebalance(TcpService tcps, Set<Pod> pods, RebalancePlan.Round round, Context<TcpService> context) {
        int written = rebalancer.write(context.getClient(), tcps, pods, round);
        if (written > 0) {
            events.normal(context.getClient(), tcps, "Rebalancing", round.message());
        }
    }

    private void patchIfChanged(TcpService tcps, TcpServiceStatus next, Context<TcpService> context) {
        if (!next.equals(tcps.getStatus())) {
            StatusWriter.publish(
                    context.getClient(),
                    events,
                    tcps,
                    next,
                    context.resourceOperations()::serverSideApplyPrimaryStatus);
        }
    }

    private void tellChildChanges(TcpService tcps, Context<TcpService> context) {
        ChildChanges.of(context).tell((reason, message) -> events.normal(context.getClient(), tcps, reason, message));
    }

    /** What became of an optional dependent (ServiceMonitor, PrometheusRule) from its spec switch and CRD check. */
    private static MonitoringState optionalState(boolean wanted, String dependent, Context<TcpService> context) {
        if (!wanted) {
            return MonitoringState.DISABLED;
        }
        boolean crdPresent = context.managedWorkflowAndDependentResourceContext()
                .getWorkflowReconcileResult()
                .flatMap(r -> r.getDependentConditionResult(dependent, Condition.Type.ACTIVATION, Boolean.class))
                .orElse(Boolean.TRUE);
        return crdPresent ? MonitoringState.ACTIVE : MonitoringState.CRD_MISSING;
    }
}
