package io.tcpfleet.operator.reconciler;

import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Events a status change deserves: computed from the old and new status, so a restart re-emits nothing. */
public final class StatusEvents {

    public record Event(String type, String reason, String message) {
        public static Event normal(String reason, String message) {
            return new Event("Normal", reason, message);
        }

        public static Event warning(String reason, String message) {
            return new Event("Warning", reason, message);
        }
    }

    private StatusEvents() {}

    public static List<Event> between(TcpServiceStatus before, TcpServiceStatus after) {
        List<Event> events = new ArrayList<>();
        Optional<Condition> oldProgressing = find(before, Condition.PROGRESSING);
        Optional<Condition> progressing = find(after, Condition.PROGRESSING);
        // The first generation's rollout is the creation itself: "Created" and "Ready" tell it.
        boolean changedSpec = after.getObservedGeneration() != null && after.getObservedGeneration() > 1;
        if (changedSpec && became(oldProgressing, progressing, Condition.TRUE)) {
            events.add(Event.normal("RolloutStarted", progressing.get().getMessage()));
        }
        if (changedSpec && became(oldProgressing, progressing, Condition.FALSE) && oldProgressing.isPresent()) {
            events.add(Event.normal("RolloutFinished", progressing.get().getMessage()));
        }
        Optional<Condition> ready = find(after, Condition.READY);
        if (became(find(before, Condition.READY), ready, Condition.TRUE)) {
            events.add(Event.normal("Ready", ready.get().getMessage()));
        }
        Optional<Condition> degraded = find(after, Condition.DEGRADED);
        if (changedTo(find(before, Condition.DEGRADED), degraded, Condition.TRUE)) {
            events.add(Event.warning(degraded.get().getReason(), degraded.get().getMessage()));
        }
        Optional<Condition> warning = find(after, Condition.SETTINGS_WARNING);
        Optional<Condition> oldWarning = find(before, Condition.SETTINGS_WARNING);
        if (warning.isPresent()
                && Condition.TRUE.equals(warning.get().getStatus())
                && !warning.get()
                        .getMessage()
                        .equals(oldWarning.map(Condition::getMessage).orElse(""))) {
            events.add(Event.warning(warning.get().getReason(), warning.get().getMessage()));
        }
        optionalChild(
                before,
                after,
                Condition.MONITORING,
                TcpServiceStatusAggregator.SERVICE_MONITOR_CRD_MISSING,
                "MonitoringSkipped",
                "MonitoringEnabled",
                events);
        optionalChild(
                before,
                after,
                Condition.ALERTING,
                TcpServiceStatusAggregator.PROMETHEUS_RULE_CRD_MISSING,
                "AlertingSkipped",
                "AlertingEnabled",
                events);
        return events;
    }

    /** A Warning when an optional child is skipped for a missing CRD, a Normal Event once it is created after all. */
    private static void optionalChild(
            TcpServiceStatus before,
            TcpServiceStatus after,
            String type,
            String crdMissing,
            String skipped,
            String enabled,
            List<Event> events) {
        Optional<Condition> old = find(before, type);
        Optional<Condition> now = find(after, type);
        if (reasonChanged(old, now)) {
            Condition c = now.get();
            if (crdMissing.equals(c.getReason())) {
                events.add(Event.warning(skipped, c.getMessage()));
            } else if (Condition.TRUE.equals(c.getStatus()) && old.isPresent()) {
                events.add(Event.normal(enabled, c.getMessage()));
            }
        }
    }

    private static boolean became(Optional<Condition> before, Optional<Condition> after, String status) {
        return after.isPresent()
                && status.equals(after.get().getStatus())
                && (before.isEmpty() || !status.equals(before.get().getStatus()));
    }

    /** Like became, but also when the reason changes while staying in that status (a new kind of failure). */
    private static boolean changedTo(Optional<Condition> before, Optional<Condition> after, String status) {
        return became(before, after, status)
                || (after.isPresent()
                        && status.equals(after.get().getStatus())
                        && !after.get().getReason().equals(before.get().getReason()));
    }

    private static boolean reasonChanged(Optional<Condition> before, Optional<Condition> after) {
        return after.isPresent()
                && (before.isEmpty()
                        || !after.get().getReason().equals(before.get().getReason()));
    }

    private static Optional<Condition> find(TcpServiceStatus status, String type) {
        return status == null ? Optional.empty() : status.condition(type);
    }
}
