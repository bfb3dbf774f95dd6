package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

@JsonClassDescription("What the operator last observed; written only by the operator. It describes the spec of"
        + " metadata.generation when observedGeneration equals it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcpServiceStatus {

    @JsonPropertyDescription(
            "metadata.generation of the spec this status describes; 0 until the operator has seen the TcpService.")
    private Long observedGeneration;

    @StatusReplicas
    @JsonPropertyDescription("Pods of the Deployment (scale subresource).")
    private Integer replicas;

    @JsonPropertyDescription("Pods that are Ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Pods running the current pod template.")
    private Integer updatedReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the pods, for the scale subresource and HPAs.")
    private String selector;

    @JsonPropertyDescription("In-cluster address of the Service: <name>.<namespace>.svc:<port>.")
    private String endpoint;

    @JsonPropertyDescription(
            "Conditions, one per type: Ready (at least spec.replicas pods are Ready), Progressing (a rollout is"
                    + " under way), Degraded (a failure: reason and message say which), Reconciling (kstatus: on its"
                    + " way), Stalled (kstatus: Degraded under its name), Monitoring, Alerting and SettingsWarning"
                    + " (settings that will hurt together or behind a usual load balancer or autoscaler).")
    private List<Condition> conditions = new ArrayList<>();

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getUpdatedReplicas() {
        return updatedReplicas;
    }

    public void setUpdatedReplicas(Integer updatedReplicas) {
        this.updatedReplicas = updatedReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TcpServiceStatus s)) {
            return false;
        }
        return Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(replicas, s.replicas)
                && Objects.equals(readyReplicas, s.readyReplicas)
                && Objects.equals(updatedReplicas, s.updatedReplicas)
                && Objects.equals(selector, s.selector)
                && Objects.equals(endpoint, s.endpoint)
                && Objects.equals(conditions, s.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                observedGeneration, replicas, readyReplicas, updatedReplicas, selector, endpoint, conditions);
    }
}
