package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !e.name.startsWith('TCPFLEET_'))",
        message = "spec.pod.env must not set TCPFLEET_* variables: use the matching spec fields")
@ValidationRule(
        value = "!has(self.labels) || !('tcpfleet.io/service' in self.labels)",
        message = "spec.pod.labels must not set tcpfleet.io/service: the operator owns it")
@ValidationRule(
        value = "!has(self.volumeMounts) || self.volumeMounts.all(m, has(self.volumes)"
                + " && self.volumes.exists(v, v.name == m.name))",
        message = "spec.pod.volumeMounts: every mount must name a volume of spec.pod.volumes")
public class PodOverrides {

    /** The operator's own writable /tmp (the root filesystem is read-only): its volume name and path. */
    public static final String TMP_VOLUME = "tmp";

    public static final String TMP_PATH = "/tmp";

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

    @Size(max = 16)
    @JsonPropertyDescription("Secrets of the TcpService's namespace (type kubernetes.io/dockerconfigjson) to pull"
            + " the server image with, as a Pod's imagePullSecrets. Unset: none (a ServiceAccount's still apply).")
    private List<LocalObjectReference> imagePullSecrets;

    @Size(max = 253)
    @Pattern(PodFieldSchema.DNS_SUBDOMAIN)
    @JsonPropertyDescription("ServiceAccount the pods run as (it must exist in the TcpService's namespace, or no"
            + " pod is created). Its token is not mounted: a pod that needs one mounts a projected"
            + " serviceAccountToken volume. Unset: the namespace's default ServiceAccount.")
    private String serviceAccountName;

    // Names (DNS labels) and their uniqueness: PodFieldSchema, as list-map keys.
    @Size(max = 32)
    @ValidationRule(
            value = "self.all(v, v.name != '" + TMP_VOLUME + "')",
            message = "spec.pod.volumes: the name " + TMP_VOLUME + " is reserved for the operator's " + TMP_PATH
                    + " volume")
    @JsonPropertyDescription("Extra volumes of the pods, for spec.pod.volumeMounts (e.g. plugin jars from a"
            + " ConfigMap, an image volume or a PersistentVolumeClaim; see docs/tcpservice.md). The name "
            + TMP_VOLUME + " is the operator's.")
    private List<Volume> volumes;

    // Required name and mountPath, unique mountPaths, lengths: PodFieldSchema.
    @Size(max = 32)
    @ValidationRule(
            value = "self.all(m, m.mountPath.startsWith('/'))",
            message = "spec.pod.volumeMounts: mountPath must be an absolute path")
    @ValidationRule(
            value = "self.all(m, m.mountPath != '" + TMP_PATH + "' && m.mountPath != '" + TMP_PATH + "/')",
            message = "spec.pod.volumeMounts: " + TMP_PATH + " is the operator's (an emptyDir); mount below it or"
                    + " elsewhere")
    @ValidationRule(
            value = "self.all(m, !has(m.subPath) || (!m.subPath.startsWith('/')"
                    + " && !m.subPath.matches('(^|/)[.][.](/|$)')))",
            message = "spec.pod.volumeMounts: subPath must be a relative path without '..'")
    @JsonPropertyDescription("Extra volume mounts of the server container, each naming one of spec.pod.volumes."
            + " The root filesystem stays read-only; " + TMP_PATH + " is the operator's. Mount plugin jars at"
            + " /opt/tcpfleet/plugins, where the server loads them from.")
    private List<VolumeMount> volumeMounts;

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

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public List<Volume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<Volume> volumes) {
        this.volumes = volumes;
    }

    public List<VolumeMount> getVolumeMounts() {
        return volumeMounts;
    }

    public void setVolumeMounts(List<VolumeMount> volumeMounts) {
        this.volumeMounts = volumeMounts;
    }
}
