package io.tcpfleet.operator.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tcpfleet.operator.api.v1alpha1.Condition;
import io.tcpfleet.operator.api.v1alpha1.TcpServiceStatus;

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

    private StatusEvents() {
    }

    public static List<Event> between(TcpServiceStatus before, TcpServiceStatus after) {
        List<Event> events = new ArrayList<>();
        Optional<Condition> oldProgressing = find(before, Condition.PROGRESSING);
        Optional<Condition> progressing = find(after, Condition.PROGRESSING);
        if (became(oldProgressing, progressing, Condition.TRUE)) {
            events.add(Event.normal("RolloutStarted", progressing.get().getMessage()));
        }
        if (became(oldProgressing, progressing, Condition.FALSE) && oldProgressing.isPresent()) {
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
        Optional<Condition> oldMonitoring = find(before, Condition.MONITORING);
        Optional<Condition> monitoring = find(after, Condition.MONITORING);
        if (reasonChanged(oldMonitoring, monitoring)) {
            Condition m = monitoring.get();
            if ("ServiceMonitorCrdMissing".equals(m.getReason())) {
                events.add(Event.warning("MonitoringSkipped", m.getMessage()));
            } else if (Condition.TRUE.equals(m.getStatus()) && oldMonitoring.isPresent()) {
                events.add(Event.normal("MonitoringEnabled", m.getMessage()));
            }
        }
        return events;
    }

    private static boolean became(Optional<Condition> before, Optional<Condition> after, String status) {
        return after.isPresent() && status.equals(after.get().getStatus())
                && (before.isEmpty() || !status.equals(before.get().getStatus()));
    }

    /** Like became, but also when the reason changes while staying in that status (a new kind of failure). */
    private static boolean changedTo(Optional<Condition> before, Optional<Condition> after, String status) {
        return became(before, after, status) || (after.isPresent() && status.equals(after.get().getStatus())
                && !after.get().getReason().equals(before.get().getReason()));
    }

    private static boolean reasonChanged(Optional<Condition> before, Optional<Condition> after) {
        return after.isPresent() && (before.isEmpty() || !after.get().getReason().equals(before.get().getReason()));
    }

    private static Optional<Condition> find(TcpServiceStatus status, String type) {
        return status == null ? Optional.empty() : status.condition(type);
    }
}
