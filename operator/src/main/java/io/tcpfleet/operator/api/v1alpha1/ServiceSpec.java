package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.externalTrafficPolicy) || self.externalTrafficPolicy != 'Local'"
                + " || (has(self.type) && self.type != 'ClusterIP')",
        message = "spec.service.externalTrafficPolicy Local needs spec.service.type NodePort or LoadBalancer")
public class ServiceSpec {

    public enum Type {
        ClusterIP,
        NodePort,
        LoadBalancer
    }

    public enum ExternalTrafficPolicy {
        Cluster,
        Local
    }

    @Default("ClusterIP")
    @JsonPropertyDescription("Service type: ClusterIP, NodePort or LoadBalancer. Default ClusterIP.")
    private Type type;

    @Size(max = KubernetesSyntax.MAX_MAP_ENTRIES)
    @ValidationRule(value = KubernetesSyntax.ANNOTATION_KEYS_RULE, message = KubernetesSyntax.LABEL_KEYS_MESSAGE)
    @ValidationRule(
            value = KubernetesSyntax.SERVICE_ANNOTATIONS_SIZE_RULE,
            message = KubernetesSyntax.ANNOTATIONS_SIZE_MESSAGE)
    @JsonPropertyDescription("Annotations on the Service, for example for a cloud load balancer.")
    private Map<String, String> annotations;

    @Default("Cluster")
    @JsonPropertyDescription(
            "externalTrafficPolicy of a NodePort or LoadBalancer Service: Cluster or Local. Default Cluster.")
    private ExternalTrafficPolicy externalTrafficPolicy;

    public Type getType() {
        return type;
    }

    public void setType(Type type) {
        this.type = type;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public ExternalTrafficPolicy getExternalTrafficPolicy() {
        return externalTrafficPolicy;
    }

    public void setExternalTrafficPolicy(ExternalTrafficPolicy externalTrafficPolicy) {
        this.externalTrafficPolicy = externalTrafficPolicy;
    }
}
