package io.tcpfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.fleet.RebalancePlan;
import io.tcpfleet.operator.model.EffectiveSpec;
import io.tcpfleet.operator.model.PodProblems;
import io.tcpfleet.operator.model.SettingsAdvice;
import io.tcpfleet.operator.model.TcpServiceResources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one place status is computed: from the TcpService (spec, generation, previous status) and
 * what the workflow observed. Pure; lastTransitionTime moves only when a condition's status does.
 */
public final class TcpServiceStatusAggregator {

    static final String SERVICE_MONITOR_CRD_MISSING = "ServiceMonitorCrdMissing";
    static final String PROMETHEUS_RULE_CRD_MISSING = "PrometheusRuleCrdMissing";

    /** What withError computes anew rather than carries over from the last observation. */
    private static final Set<String> DERIVED_FROM_ERROR =
            Set.of(Condition.DEGRADED, Condition.RECONCILING, Condition.STALLED);

    private TcpServiceStatusAggregator() {}

    public static TcpServiceStatus aggregate(
            TcpService tcps,
            Deployment deployment,
            Collection<Pod> pods,
            MonitoringState monitoring,
            MonitoringState alerting,
            Instant now) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        DeploymentStatus ds =
                deployment == null || deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int desired = spec.replicas();
        int replicas = nz(ds.getReplicas());
        int ready = nz(ds.getReadyReplicas());
        int updated = nz(ds.getUpdatedReplicas());
        int available = nz(ds.getAvailableReplicas());

        TcpServiceStatus status = new TcpServiceStatus();
        status.setObservedGeneration(tcps.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setUpdatedReplicas(updated);
        status.setSelector(TcpServiceResources.selector(tcps));
        status.setEndpoint(TcpServiceResources.endpoint(tcps, spec.port()));

        List<Condition> next = new ArrayList<>();
        boolean observed = deployment != null
                && deployment.getMetadata().getGeneration() != null
                && Objects.equals(deployment.getMetadata().getGeneration(), ds.getObservedGeneration());
        // Pods a rebalance round took out of the Service (spec.rebalance) are capacity, not a failure or a rollout.
        int shedding =
                (int) pods.stream().filter(p -> RebalancePlan.shedding(p, now)).count();
        // The pods' own Ready condition is fresher than the Deployment's count, which follows it by up to a
        // second: a pod back from shedding must not read as a replica lost and found (Ready flapping, an Event).
        // Available is Ready here: the Deployment has no minReadySeconds.
        int readyNow = Math.max(ready, (int) pods.stream()
                .filter(p -> RebalancePlan.readySince(p).isPresent())
                .count());
        // The same count in the Ready column as in the Ready condition (the scale subresource reads status.replicas).
        status.setReadyReplicas(readyNow);
        boolean rolledOut = observed
                && updated == desired
                && replicas == desired
                && Math.max(available, readyNow) + shedding >= desired;

        // Looked for only while replicas are missing: then Ready=False and Degraded say why.
        Optional<PodProblems.Problem> podProblem =
                deployment == null || readyNow + shedding >= desired ? Optional.empty() : PodProblems.first(pods);
        if (deployment == null) {
            next.add(new Condition(
                    Condition.READY, Condition.FALSE, "DeploymentMissing", "the Deployment does not exist yet"));
            next.add(new Condition(Condition.PROGRESSING, Condition.TRUE, "Creating", "creating the Deployment"));
        } else {
            next.add(ready(readyNow, shedding, desired, podProblem));
            next.add(
                    rolledOut
                            ? new Condition(
                                    Condition.PROGRESSING,
                                    Condition.FALSE,
                                    "RolloutComplete",
                                    updated + "/" + desired + " replicas run the current pod template")
                            : new Condition(
                                    Condition.PROGRESSING,
                                    Condition.TRUE,
                                    "RollingOut",
                                    updated + "/" + desired + " replicas updated, " + replicas + " running"));
        }
        next.add(degraded(ds, podProblem));
        next.addAll(kstatus(next));
        next.add(monitoring(monitoring));
        next.add(alerting(alerting));
        next.add(settingsWarning(SettingsAdvice.of(spec)));
        status.setConditions(
                carryTransitionTimes(tcps.getStatus(), next, tcps.getMetadata().getGeneration(), now));
        return status;
    }

    /** The previous status with Degraded=True for this error; the rest stays as it was last observed. */
    public static TcpServiceStatus withError(TcpService tcps, Exception error, Instant now) {
        TcpServiceStatus previous = tcps.getStatus() == null ? new TcpServiceStatus() : tcps.getStatus();
        TcpServiceStatus status = copy(previous);
        status.setObservedGeneration(tcps.getMetadata().getGeneration());
        status.setSelector(TcpServiceResources.selector(tcps));
        List<Condition> next = new ArrayList<>();
        for (Condition c : previous.getConditions()) {
            if (!DERIVED_FROM_ERROR.contains(c.getType())) {
                next.add(new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
            }
        }
        if (previous.condition(Condition.READY).isEmpty()) {
            next.add(
                    new Condition(Condition.READY, Condition.UNKNOWN, "ReconcileFailed", "see the Degraded condition"));
        }
        next.add(new Condition(Condition.DEGRADED, Condition.TRUE, "ReconcileFailed", describe(error)));
        next.addAll(kstatus(next));
        status.setConditions(
                carryTransitionTimes(previous, next, tcps.getMetadata().getGeneration(), now));
        return status;
    }

    /**
     * Reconciling and Stalled, the conditions kstatus (sigs.k8s.io/cli-utils: Flux, kpt, Config Sync) decides by
     * before it looks at Ready: Stalled (Failed to kstatus) is Degraded under kstatus' name; Reconciling (InProgress)
     * is True while the fleet is on its way, which Ready alone cannot say, since it stays True through a rollout.
     * Never both True: kstatus takes the first it finds.
     */
    private static List<Condition> kstatus(List<Condition> computed) {
        Condition ready = find(computed, Condition.READY).orElseThrow();
        Optional<Condition> progressing =
                find(computed, Condition.PROGRESSING).filter(c -> Condition.TRUE.equals(c.getStatus()));
        Condition degraded = find(computed, Condition.DEGRADED).orElseThrow();
        Condition stalled =
                new Condition(Condition.STALLED, degraded.getStatus(), degraded.getReason(), degraded.getMessage());
        Condition reconciling;
        if (Condition.TRUE.equals(degraded.getStatus())) {
            reconciling = new Condition(
                    Condition.RECONCILING, Condition.FALSE, "Stalled", "no progress: see the Stalled condition");
        } else if (progressing.isPresent() || !Condition.TRUE.equals(ready.getStatus())) {
            Condition why = progressing.orElse(ready);
            reconciling = new Condition(Condition.RECONCILING, Condition.TRUE, why.getReason(), why.getMessage());
        } else {
            reconciling = new Condition(
                    Condition.RECONCILING,
                    Condition.FALSE,
                    "Reconciled",
                    "every replica is ready and runs the current pod template");
        }
        return List.of(reconciling, stalled);
    }

    private static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.length() > 1024 ? message.substring(0, 1024) : message;
    }

    /** Capacity, not currency: a rollout (maxUnavailable 0) or a lagging Deployment controller never makes it False. */
    private static Condition ready(int ready, int shedding, int desired, Optional<PodProblems.Problem> podProblem) {
        String replicasReady = ready + "/" + desired + " replicas ready";
        if (ready < desired && ready + shedding >= desired) {
            return new Condition(
                    Condition.READY,
                    Condition.TRUE,
                    "Rebalancing",
                    replicasReady + ", " + shedding + " more shedding connections to rebalance the fleet");
        }
        if (ready >= desired) {
            return new Condition(
                    Condition.READY, Condition.TRUE, desired == 0 ? "ScaledToZero" : "AllReplicasReady", replicasReady);
        }
        return new Condition(
                Condition.READY,
                Condition.FALSE,
                "ReplicasNotReady",
                podProblem.map(p -> replicasReady + ": " + p.message()).orElse(replicasReady));
    }

    /** ReplicaFailure (no pod can be created) outranks a pod's problem; ProgressDeadlineExceeded, their symptom, is last. */
    private static Condition degraded(DeploymentStatus ds, Optional<PodProblems.Problem> podProblem) {
        Optional<Condition> replicaFailure = deploymentCondition(ds, "ReplicaFailure", "True", "ReplicaFailure");
        Optional<Condition> pods =
                podProblem.map(p -> new Condition(Condition.DEGRADED, Condition.TRUE, p.reason(), p.message()));
        return replicaFailure
                .or(() -> pods)
                .or(() -> deploymentCondition(ds, "Progressing", "False", "ProgressDeadlineExceeded"))
                .orElseGet(
                        () -> new Condition(Condition.DEGRADED, Condition.FALSE, "AsExpected", "no failures observed"));
    }

    /** Degraded=True with this reason and the Deployment's message, if the Deployment has the condition in that status. */
    private static Optional<Condition> deploymentCondition(
            DeploymentStatus ds, String type, String status, String reason) {
        return ds.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .findFirst()
                .map(c -> new Condition(Condition.DEGRADED, Condition.TRUE, reason, c.getMessage()));
    }

    /** The first warning's reason (or SeveralWarnings) and every message, so describe shows them all. */
    private static Condition settingsWarning(List<SettingsAdvice.Warning> warnings) {
        if (warnings.isEmpty()) {
            return new Condition(
                    Condition.SETTINGS_WARNING, Condition.FALSE, "AsExpected", "no settings known to hurt together");
        }
        String reason = warnings.size() == 1 ? warnings.get(0).reason() : "SeveralWarnings";
        return new Condition(
                Condition.SETTINGS_WARNING,
                Condition.TRUE,
                reason,
                String.join(
                        "; ",
                        warnings.stream().map(SettingsAdvice.Warning::message).toList()));
    }

    private static Condition monitoring(MonitoringState state) {
        return switch (state) {
            case ACTIVE ->
                new Condition(
                        Condition.MONITORING,
                        Condition.TRUE,
                        "ServiceMonitorApplied",
                        "Prometheus scrapes the metrics Service through a ServiceMonitor");
            case DISABLED ->
                new Condition(
                        Condition.MONITORING, Condition.FALSE, "Disabled", "spec.monitoring.serviceMonitor is false");
            case CRD_MISSING ->
                new Condition(
                        Condition.MONITORING,
                        Condition.FALSE,
                        SERVICE_MONITOR_CRD_MISSING,
                        "monitoring skipped: the ServiceMonitor CRD (monitoring.coreos.com/v1) is not installed;"
                                + " the metrics Service exists and a ServiceMonitor follows once the CRD is installed");
        };
    }

    private static Condition alerting(MonitoringState state) {
        return switch (state) {
            case ACTIVE ->
                new Condition(
                        Condition.ALERTING,
                        Condition.TRUE,
                        "PrometheusRuleApplied",
                        "this service's alerts are in a PrometheusRule");
            case DISABLED ->
                new Condition(
                        Condition.ALERTING, Condition.FALSE, "Disabled", "spec.monitoring.prometheusRule is false");
            case CRD_MISSING ->
                new Condition(
                        Condition.ALERTING,
                        Condition.FALSE,
                        PROMETHEUS_RULE_CRD_MISSING,
                        "monitoring skipped: the PrometheusRule CRD (monitoring.coreos.com/v1) is not installed;"
                                + " a PrometheusRule follows once the CRD is installed");
        };
    }

    private static List<Condition> carryTransitionTimes(
            TcpServiceStatus previous, List<Condition> next, Long generation, Instant now) {
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (Condition c : next) {
            c.setObservedGeneration(generation);
            Condition before =
                    previous == null ? null : previous.condition(c.getType()).orElse(null);
            boolean unchanged = before != null
                    && c.getStatus().equals(before.getStatus())
                    && before.getLastTransitionTime() != null;
            c.setLastTransitionTime(unchanged ? before.getLastTransitionTime() : timestamp);
        }
        return next;
    }

    private static TcpServiceStatus copy(TcpServiceStatus s) {
        TcpServiceStatus c = new TcpServiceStatus();
        c.setReplicas(s.getReplicas());
        c.setReadyReplicas(s.getReadyReplicas());
        c.setUpdatedReplicas(s.getUpdatedReplicas());
        c.setEndpoint(s.getEndpoint());
        return c;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
