package io.tcpfleet.operator.reconciler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import io.tcpfleet.operator.model.EffectiveSpec;
import io.tcpfleet.operator.model.TcpServiceResources;

/**
 * The one place status is computed: from the TcpService (spec, generation, previous status) and
 * what the workflow observed. Pure; lastTransitionTime moves only when a condition's status does.
 */
public final class TcpServiceStatusAggregator {

    static final String SERVICE_MONITOR_CRD_MISSING = "ServiceMonitorCrdMissing";
    static final String PROMETHEUS_RULE_CRD_MISSING = "PrometheusRuleCrdMissing";

    private TcpServiceStatusAggregator() {
    }

    public static TcpServiceStatus aggregate(TcpService tcps, Deployment deployment, MonitoringState monitoring,
            MonitoringState alerting, Instant now) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        DeploymentStatus ds = deployment == null || deployment.getStatus() == null
                ? new DeploymentStatus() : deployment.getStatus();
        int desired = spec.replicas();
        int replicas = nz(ds.getReplicas());
        int ready = nz(ds.getReadyReplicas());
        int updated = nz(ds.getUpdatedReplicas());
        int available = nz(ds.getAvailableReplicas());

        TcpServiceStatus status = new TcpServiceStatus();
        status.setObservedGeneration(tcps.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setUpdatedReplicas(updated);
        status.setSelector(TcpServiceResources.selector(tcps));
        status.setEndpoint(TcpServiceResources.endpoint(tcps, spec.port()));

        List<Condition> next = new ArrayList<>();
        boolean observed = deployment != null && deployment.getMetadata().getGeneration() != null
                && Objects.equals(deployment.getMetadata().getGeneration(), ds.getObservedGeneration());
        boolean rolledOut = observed && updated == desired && replicas == desired && available >= desired;

        if (deployment == null) {
            next.add(new Condition(Condition.READY, Condition.FALSE, "DeploymentMissing", "the Deployment does not exist yet"));
            next.add(new Condition(Condition.PROGRESSING, Condition.TRUE, "Creating", "creating the Deployment"));
        } else {
            // Capacity, not currency: a rollout (maxUnavailable 0) or a lagging Deployment controller never makes it False.
            boolean enough = ready >= desired;
            next.add(enough
                    ? new Condition(Condition.READY, Condition.TRUE, desired == 0 ? "ScaledToZero" : "AllReplicasReady",
                            ready + "/" + desired + " replicas ready")
                    : new Condition(Condition.READY, Condition.FALSE, "ReplicasNotReady",
                            ready + "/" + desired + " replicas ready"));
            next.add(rolledOut
                    ? new Condition(Condition.PROGRESSING, Condition.FALSE, "RolloutComplete",
                            updated + "/" + desired + " replicas run the current pod template")
                    : new Condition(Condition.PROGRESSING, Condition.TRUE, "RollingOut",
                            updated + "/" + desired + " replicas updated, " + replicas + " running"));
        }
        next.add(degraded(ds));
        next.add(monitoring(monitoring));
        next.add(alerting(alerting));
        status.setConditions(carryTransitionTimes(tcps.getStatus(), next, tcps.getMetadata().getGeneration(), now));
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
            if (!Condition.DEGRADED.equals(c.getType())) {
                next.add(new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
            }
        }
        if (previous.condition(Condition.READY).isEmpty()) {
            next.add(new Condition(Condition.READY, Condition.UNKNOWN, "ReconcileFailed", "see the Degraded condition"));
        }
        next.add(new Condition(Condition.DEGRADED, Condition.TRUE, "ReconcileFailed", describe(error)));
        status.setConditions(carryTransitionTimes(previous, next, tcps.getMetadata().getGeneration(), now));
        return status;
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.length() > 1024 ? message.substring(0, 1024) : message;
    }

    private static Condition degraded(DeploymentStatus ds) {
        for (DeploymentCondition c : ds.getConditions()) {
            if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                return new Condition(Condition.DEGRADED, Condition.TRUE, "ReplicaFailure", c.getMessage());
            }
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())) {
                return new Condition(Condition.DEGRADED, Condition.TRUE, "ProgressDeadlineExceeded", c.getMessage());
            }
        }
        return new Condition(Condition.DEGRADED, Condition.FALSE, "AsExpected", "no failures observed");
    }

    private static Condition monitoring(MonitoringState state) {
        return switch (state) {
            case ACTIVE -> new Condition(Condition.MONITORING, Condition.TRUE, "ServiceMonitorApplied",
                    "Prometheus scrapes the metrics Service through a ServiceMonitor");
            case DISABLED -> new Condition(Condition.MONITORING, Condition.FALSE, "Disabled",
                    "spec.monitoring.serviceMonitor is false");
            case CRD_MISSING -> new Condition(Condition.MONITORING, Condition.FALSE, SERVICE_MONITOR_CRD_MISSING,
                    "monitoring skipped: the ServiceMonitor CRD (monitoring.coreos.com/v1) is not installed;"
                            + " the metrics Service exists and a ServiceMonitor follows once the CRD is installed");
        };
    }

    private static Condition alerting(MonitoringState state) {
        return switch (state) {
            case ACTIVE -> new Condition(Condition.ALERTING, Condition.TRUE, "PrometheusRuleApplied",
                    "this service's alerts are in a PrometheusRule");
            case DISABLED -> new Condition(Condition.ALERTING, Condition.FALSE, "Disabled",
                    "spec.monitoring.prometheusRule is false");
            case CRD_MISSING -> new Condition(Condition.ALERTING, Condition.FALSE, PROMETHEUS_RULE_CRD_MISSING,
                    "monitoring skipped: the PrometheusRule CRD (monitoring.coreos.com/v1) is not installed;"
                            + " a PrometheusRule follows once the CRD is installed");
        };
    }

    private static List<Condition> carryTransitionTimes(TcpServiceStatus previous, List<Condition> next,
            Long generation, Instant now) {
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (Condition c : next) {
            c.setObservedGeneration(generation);
            Condition before = previous == null ? null : previous.condition(c.getType()).orElse(null);
            boolean unchanged = before != null && c.getStatus().equals(before.getStatus())
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
