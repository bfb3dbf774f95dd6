package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A status condition in the Kubernetes convention; status is the string True, False or Unknown. */
@JsonClassDescription("One condition in the Kubernetes convention (type, status, reason, message), as read by"
        + " kubectl wait --for=condition=Ready, kstatus and Argo CD.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String MONITORING = "Monitoring";
    public static final String ALERTING = "Alerting";
    // kstatus' "abnormal-true" pair (sigs.k8s.io/cli-utils): Flux, kpt and Config Sync wait on these.
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";
    // True while settings that admission accepts will hurt together or on a usual platform (SettingsAdvice).
    public static final String SETTINGS_WARNING = "SettingsWarning";

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    // Required: the key of the conditions map list (TcpServiceStatus).
    @Required
    @JsonPropertyDescription(
            "Condition type: Ready, Progressing, Degraded, Reconciling, Stalled, Monitoring, Alerting or"
                    + " SettingsWarning.")
    private String type;

    @JsonPropertyDescription("True, False or Unknown.")
    private String status;

    @JsonPropertyDescription("CamelCase reason for the status, e.g. AllReplicasReady; kubectl get tcps shows Ready's.")
    private String reason;

    @JsonPropertyDescription("Human-readable details of the reason, e.g. which pod fails and why.")
    private String message;

    @JsonPropertyDescription("When status last changed, RFC 3339 (2006-01-02T15:04:05Z).")
    private String lastTransitionTime;

    @JsonPropertyDescription("metadata.generation this condition was computed from.")
    private Long observedGeneration;

    public Condition() {}

    public Condition(String type, String status, String reason, String message) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Condition c)) {
            return false;
        }
        return Objects.equals(type, c.type)
                && Objects.equals(status, c.status)
                && Objects.equals(reason, c.reason)
                && Objects.equals(message, c.message)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime)
                && Objects.equals(observedGeneration, c.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + ": " + message + ")";
    }
}
