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
        value = "!has(self.env) || self.env.all(e, !has(e.name) || !e.name.startsWith('TCPFLEET_'))",
        message = "spec.pod.env must not set TCPFLEET_* variables: use the matching spec fields")
// The environment, as the API server validates a container's (names as every Kubernetes version takes them).
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, has(e.name) && e.name.matches('^[-._a-zA-Z][-._a-zA-Z0-9]*$'))",
        message = "spec.pod.env[].name is required and must be letters, digits, '_', '-' or '.', not starting"
                + " with a digit")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !has(e.valueFrom) || !has(e.value) || e.value == '')",
        message = "spec.pod.env[]: value and valueFrom are mutually exclusive")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !has(e.valueFrom) || ((has(e.valueFrom.fieldRef) ? 1 : 0)"
                + " + (has(e.valueFrom.resourceFieldRef) ? 1 : 0) + (has(e.valueFrom.configMapKeyRef) ? 1 : 0)"
                + " + (has(e.valueFrom.secretKeyRef) ? 1 : 0) == 1 && !has(e.valueFrom.fileKeyRef)))",
        message = "spec.pod.env[].valueFrom must have exactly one of fieldRef, resourceFieldRef, configMapKeyRef"
                + " or secretKeyRef")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.fieldRef)"
                + " || (has(e.valueFrom.fieldRef.fieldPath) && e.valueFrom.fieldRef.fieldPath.matches("
                + "\"^(metadata[.](name|namespace|uid)|metadata[.](labels|annotations)[[]'[^']+'[]]"
                + "|spec[.](nodeName|serviceAccountName)|status[.](hostIP|hostIPs|podIP|podIPs))$\")"
                + " && (!has(e.valueFrom.fieldRef.apiVersion) || e.valueFrom.fieldRef.apiVersion == 'v1')))",
        message = "spec.pod.env[].valueFrom.fieldRef.fieldPath must be one the kubelet supports (metadata.name,"
                + " metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName,"
                + " spec.serviceAccountName, status.hostIP(s), status.podIP(s)), apiVersion v1")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.resourceFieldRef)"
                + " || (has(e.valueFrom.resourceFieldRef.resource) && e.valueFrom.resourceFieldRef.resource in"
                + " ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory',"
                + " 'requests.ephemeral-storage'] && (!has(e.valueFrom.resourceFieldRef.containerName)"
                + " || e.valueFrom.resourceFieldRef.containerName in ['', 'server'])))",
        message = "spec.pod.env[].valueFrom.resourceFieldRef.resource must be limits or requests of cpu, memory or"
                + " ephemeral-storage, containerName empty or server")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, !has(e.valueFrom)"
                + " || ((!has(e.valueFrom.configMapKeyRef) || (has(e.valueFrom.configMapKeyRef.name)"
                + " && e.valueFrom.configMapKeyRef.name != '' && has(e.valueFrom.configMapKeyRef.key)"
                + " && e.valueFrom.configMapKeyRef.key.size() <= 253"
                + " && e.valueFrom.configMapKeyRef.key.matches('^[-._a-zA-Z0-9]+$')))"
                + " && (!has(e.valueFrom.secretKeyRef) || (has(e.valueFrom.secretKeyRef.name)"
                + " && e.valueFrom.secretKeyRef.name != '' && has(e.valueFrom.secretKeyRef.key)"
                + " && e.valueFrom.secretKeyRef.key.size() <= 253"
                + " && e.valueFrom.secretKeyRef.key.matches('^[-._a-zA-Z0-9]+$')))))",
        message = "spec.pod.env[].valueFrom.configMapKeyRef and secretKeyRef need a name and a key of letters,"
                + " digits, '-', '_' or '.'")
// Tolerations and topology spread constraints, as the API server validates a pod's.
@ValidationRule(
        value = "!has(self.tolerations) || self.tolerations.all(t, (!has(t.operator) || t.operator in ['Exists',"
                + " 'Equal']) && (!has(t.effect) || t.effect in ['', 'NoSchedule', 'PreferNoSchedule',"
                + " 'NoExecute']))",
        message = "spec.pod.tolerations[]: operator must be Exists or Equal, effect NoSchedule, PreferNoSchedule"
                + " or NoExecute")
@ValidationRule(
        value = "!has(self.tolerations) || self.tolerations.all(t, has(t.operator) && t.operator == 'Exists'"
                + " ? !has(t.value) || t.value == ''"
                + " : has(t.key) && t.key != '' && (!has(t.value) || (t.value.size() <= 63"
                + " && t.value.matches('^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$'))))",
        message = "spec.pod.tolerations[]: Exists takes no value; Equal (the default) needs a key, and its value"
                + " must be a label value")
@ValidationRule(
        value = "!has(self.tolerations) || self.tolerations.all(t, (!has(t.key) || t.key == ''"
                + " || t.key.matches('" + KubernetesSyntax.LABEL_KEY + "'))"
                + " && (!has(t.tolerationSeconds) || (has(t.effect) && t.effect == 'NoExecute')))",
        message = "spec.pod.tolerations[]: key must be a qualified name; tolerationSeconds needs effect NoExecute")
@ValidationRule(
        value = "!has(self.topologySpreadConstraints) || self.topologySpreadConstraints.all(c, has(c.maxSkew)"
                + " && c.maxSkew >= 1 && has(c.topologyKey) && c.topologyKey.matches('" + KubernetesSyntax.LABEL_KEY
                + "') && has(c.whenUnsatisfiable) && c.whenUnsatisfiable in ['DoNotSchedule', 'ScheduleAnyway']"
                + " && (!has(c.minDomains) || (c.minDomains >= 1 && c.whenUnsatisfiable == 'DoNotSchedule'))"
                + " && (!has(c.nodeAffinityPolicy) || c.nodeAffinityPolicy in ['Honor', 'Ignore'])"
                + " && (!has(c.nodeTaintsPolicy) || c.nodeTaintsPolicy in ['Honor', 'Ignore']))",
        message = "spec.pod.topologySpreadConstraints[]: maxSkew at least 1, topologyKey a qualified name,"
                + " whenUnsatisfiable DoNotSchedule or ScheduleAnyway, minDomains at least 1 and only with"
                + " DoNotSchedule, nodeAffinityPolicy and nodeTaintsPolicy Honor or Ignore")
@ValidationRule(
        value = "!has(self.labels) || !('tcpfleet.io/service' in self.labels)",
        message = "spec.pod.labels must not set tcpfleet.io/service: the operator owns it")
// Affinity, as far as a term can be judged alone (label selectors inside it are passed on as written).
@ValidationRule(
        value = "!has(self.affinity) || !has(self.affinity.podAffinity)"
                + " || ((!has(self.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution)"
                + " || self.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution.all(t, has(t.topologyKey)"
                + " && t.topologyKey.matches('" + KubernetesSyntax.LABEL_KEY + "')))"
                + " && (!has(self.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution)"
                + " || self.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution.all(w, has(w.weight)"
                + " && w.weight >= 1 && w.weight <= 100 && has(w.podAffinityTerm)"
                + " && has(w.podAffinityTerm.topologyKey)"
                + " && w.podAffinityTerm.topologyKey.matches('" + KubernetesSyntax.LABEL_KEY + "'))))",
        message = "spec.pod.affinity.podAffinity: every term needs a topologyKey that is a qualified name, every"
                + " preferred term a weight from 1 to 100")
@ValidationRule(
        value = "!has(self.affinity) || !has(self.affinity.podAntiAffinity)"
                + " || ((!has(self.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)"
                + " || self.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.all(t, has(t.topologyKey)"
                + " && t.topologyKey.matches('" + KubernetesSyntax.LABEL_KEY + "')))"
                + " && (!has(self.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution)"
                + " || self.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.all(w, has(w.weight)"
                + " && w.weight >= 1 && w.weight <= 100 && has(w.podAffinityTerm)"
                + " && has(w.podAffinityTerm.topologyKey)"
                + " && w.podAffinityTerm.topologyKey.matches('" + KubernetesSyntax.LABEL_KEY + "'))))",
        message = "spec.pod.affinity.podAntiAffinity: every term needs a topologyKey that is a qualified name, every"
                + " preferred term a weight from 1 to 100")
@ValidationRule(
        value = "!has(self.affinity) || !has(self.affinity.nodeAffinity)"
                + " || ((!has(self.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)"
                + " || (has(self.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)"
                + " && size(self.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) > 0"
                + " && self.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.all(t,"
                + " (!has(t.matchExpressions) || t.matchExpressions.all(e, has(e.operator) && e.operator in ["
                + KubernetesSyntax.NODE_OPERATORS
                + "])) && (!has(t.matchFields) || t.matchFields.all(e, has(e.operator)"
                + " && e.operator in [" + KubernetesSyntax.NODE_OPERATORS + "])))))"
                + " && (!has(self.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution)"
                + " || self.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.all(w, has(w.weight)"
                + " && w.weight >= 1 && w.weight <= 100 && has(w.preference)"
                + " && (!has(w.preference.matchExpressions) || w.preference.matchExpressions.all(e, has(e.operator)"
                + " && e.operator in [" + KubernetesSyntax.NODE_OPERATORS + "])))))",
        message = "spec.pod.affinity.nodeAffinity: required needs at least one nodeSelectorTerm, operators are In,"
                + " NotIn, Exists, DoesNotExist, Gt or Lt, every preferred term has a weight from 1 to 100")
@ValidationRule(
        value = "!has(self.volumeMounts) || self.volumeMounts.all(m, has(self.volumes)"
                + " && self.volumes.exists(v, v.name == m.name))",
        message = "spec.pod.volumeMounts: every mount must name a volume of spec.pod.volumes")
public class PodOverrides {

    /** The operator's own writable /tmp (the root filesystem is read-only): its volume name and path. */
    public static final String TMP_VOLUME = "tmp";

    public static final String TMP_PATH = "/tmp";

    /** The operator's read-only Secret volumes (spec.tls, its client CA, spec.upstream.tls) and where they go. */
    public static final String TLS_VOLUME = "tcpfleet-tls";

    public static final String CLIENT_CA_VOLUME = "tcpfleet-client-ca";
    public static final String UPSTREAM_CA_VOLUME = "tcpfleet-upstream-ca";
    public static final String SECRETS_PATH = "/etc/tcpfleet";
    public static final String TLS_PATH = SECRETS_PATH + "/tls";
    public static final String CLIENT_CA_PATH = SECRETS_PATH + "/client-ca";
    public static final String UPSTREAM_CA_PATH = SECRETS_PATH + "/upstream-ca";
    /** With spec.rebalance: the pod's annotations as a downward API volume, for the server's --rebalance-file. */
    public static final String PODINFO_VOLUME = "tcpfleet-podinfo";

    public static final String PODINFO_PATH = SECRETS_PATH + "/podinfo";

    @Size(max = KubernetesSyntax.MAX_MAP_ENTRIES)
    @ValidationRule(value = KubernetesSyntax.LABEL_KEYS_RULE, message = KubernetesSyntax.LABEL_KEYS_MESSAGE)
    @ValidationRule(value = KubernetesSyntax.LABEL_VALUES_RULE, message = KubernetesSyntax.LABEL_VALUES_MESSAGE)
    @JsonPropertyDescription("Extra pod labels (tcpfleet.io/service is reserved).")
    private Map<String, String> labels;

    @Size(max = KubernetesSyntax.MAX_MAP_ENTRIES)
    @ValidationRule(value = KubernetesSyntax.ANNOTATION_KEYS_RULE, message = KubernetesSyntax.LABEL_KEYS_MESSAGE)
    @ValidationRule(
            value = KubernetesSyntax.POD_ANNOTATIONS_SIZE_RULE,
            message = KubernetesSyntax.ANNOTATIONS_SIZE_MESSAGE)
    @JsonPropertyDescription("Extra pod annotations.")
    private Map<String, String> annotations;

    @Size(max = KubernetesSyntax.MAX_MAP_ENTRIES)
    @ValidationRule(value = KubernetesSyntax.LABEL_KEYS_RULE, message = KubernetesSyntax.LABEL_KEYS_MESSAGE)
    @ValidationRule(value = KubernetesSyntax.LABEL_VALUES_RULE, message = KubernetesSyntax.LABEL_VALUES_MESSAGE)
    @JsonPropertyDescription("Node labels a node must have to run the server pods (key: value).")
    private Map<String, String> nodeSelector;

    @Size(max = 64)
    @JsonPropertyDescription("Tolerations of the server pods: taints they may be scheduled onto.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod (anti-)affinity of the server pods.")
    private Affinity affinity;

    @Size(max = 16)
    @JsonPropertyDescription("Topology spread constraints; replace the default soft spread across nodes.")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @Size(max = 253)
    @Pattern(PodFieldSchema.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the PriorityClass of the server pods; empty: the cluster's default priority.")
    private String priorityClassName;

    @Size(max = 128)
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
    @ValidationRule(
            value = "self.all(v, !(v.name in ['" + TLS_VOLUME + "', '" + CLIENT_CA_VOLUME + "', '" + UPSTREAM_CA_VOLUME
                    + "']))",
            message = "spec.pod.volumes: the names " + TLS_VOLUME + ", " + CLIENT_CA_VOLUME + " and "
                    + UPSTREAM_CA_VOLUME + " are reserved for the operator's Secret volumes")
    @JsonPropertyDescription("Extra volumes of the pods, for spec.pod.volumeMounts (e.g. plugin jars from a"
            + " ConfigMap, an image volume or a PersistentVolumeClaim; see docs/tcpservice.md). The names "
            + TMP_VOLUME + ", " + TLS_VOLUME + ", " + CLIENT_CA_VOLUME + " and " + UPSTREAM_CA_VOLUME
            + " are the operator's.")
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
            value = "self.all(m, m.mountPath != '" + SECRETS_PATH + "' && !m.mountPath.startsWith('" + SECRETS_PATH
                    + "/'))",
            message = "spec.pod.volumeMounts: " + SECRETS_PATH + " is the operator's (spec.tls and"
                    + " spec.upstream.tls Secrets); mount elsewhere")
    @ValidationRule(
            value = "self.all(m, !has(m.subPath) || (!m.subPath.startsWith('/')"
                    + " && !m.subPath.matches('(^|/)[.][.](/|$)')))",
            message = "spec.pod.volumeMounts: subPath must be a relative path without '..'")
    @JsonPropertyDescription("Extra volume mounts of the server container, each naming one of spec.pod.volumes."
            + " The root filesystem stays read-only; " + TMP_PATH + " and " + SECRETS_PATH + " are the operator's."
            + " Mount plugin jars at"
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
