package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !e.name.startsWith('TCPFLEET_'))",
        message = "spec.pod.env must not set TCPFLEET_* variables: use the matching spec fields")
@ValidationRule(
        value = "!has(self.labels) || !('tcpfleet.io/service' in self.labels)",
        message = "spec.pod.labels must not set tcpfleet.io/service: the operator owns it")
public class PodOverrides {

    @JsonPropertyDescription("Extra pod labels (tcpfleet.io/service is reserved).")
    private Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations.")
    private Map<String, String> annotations;

    @JsonPropertyDescription("Node labels a node must have to run the server pods (key: value).")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the server pods: taints they may be scheduled onto.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod (anti-)affinity of the server pods.")
    private Affinity affinity;

    @JsonPropertyDescription("Topology spread constraints; replace the default soft spread across nodes.")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Name of the PriorityClass of the server pods; empty: the cluster's default priority.")
    private String priorityClassName;

    @JsonPropertyDescription("Extra environment of the server container (TCPFLEET_* are reserved for the spec fields).")
    private List<EnvVar> env;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
        return topologySpreadConstraints;
    }

    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }
}
