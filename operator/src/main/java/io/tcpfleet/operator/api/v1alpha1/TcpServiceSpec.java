package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonClassDescription("The fleet the user wants. The operator keeps its Deployment, Services, PodDisruptionBudget"
        + " and monitoring objects equal to it. A change that alters the pods (image, handler, port, connections,"
        + " drain, tls, proxyProtocol, resources, pod) rolls them one extra pod at a time, each old pod draining its"
        + " connections; a renewed certificate in a Secret does not.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.handler) || self.handler != 'proxy' || has(self.upstream)",
        message = "spec.upstream is required when spec.handler is proxy")
@ValidationRule(
        value = "!has(self.upstream) || (has(self.handler) && self.handler == 'proxy')",
        message = "spec.upstream is only allowed when spec.handler is proxy")
@ValidationRule(
        value = "!has(self.autoscaling) || !has(self.connections) || !has(self.connections.max)"
                + " || self.autoscaling.targetConnectionsPerPod <= self.connections.max",
        message = "spec.autoscaling.targetConnectionsPerPod must be at most spec.connections.max")
@ValidationRule(
        value = "!has(self.rebalance) || !has(self.pod) || !has(self.pod.volumes)"
                + " || self.pod.volumes.all(v, v.name != '" + PodOverrides.PODINFO_VOLUME + "')",
        message = "spec.pod.volumes: with spec.rebalance the name " + PodOverrides.PODINFO_VOLUME
                + " is the operator's (the pod's annotations)")
@ValidationRule(
        value = "!has(self.port) || self.port != " + TcpServiceSpec.ADMIN_PORT,
        message = "spec.port must differ from the admin port " + TcpServiceSpec.ADMIN_PORT)
public class TcpServiceSpec {

    /** The server's admin HTTP port (metrics, health, drain); fixed so probes and scrapes agree. */
    public static final int ADMIN_PORT = 9090;

    public static final int DEFAULT_REPLICAS = 1;
    public static final String DEFAULT_HANDLER = "echo";
    public static final int DEFAULT_PORT = 7000;

    @SpecReplicas
    @Default("" + DEFAULT_REPLICAS)
    @Min(0)
    @JsonPropertyDescription("Number of server pods. Scale subresource: kubectl scale and HPAs change it. Default "
            + DEFAULT_REPLICAS + ".")
    private Integer replicas;

    @JsonPropertyDescription("Scale on connections: the operator sets replicas from the fleet's connections."
            + " Unset: replicas is the user's (or an HPA's).")
    private Autoscaling autoscaling;

    @JsonPropertyDescription("Rebalance connections after a scale-out: the busiest pods shed their excess so that"
            + " clients reconnect to the new ones. Unset: off.")
    private Rebalance rebalance;

    @Size(max = 512)
    @Pattern(KubernetesSyntax.IMAGE)
    @ValidationRule(
            value = KubernetesSyntax.IMAGE_NAME_LENGTH_RULE,
            message = KubernetesSyntax.IMAGE_NAME_LENGTH_MESSAGE)
    @JsonPropertyDescription(
            "Server container image, e.g. ghcr.io/tcpfleet/tcpfleet-server:0.1.0. Empty: the operator's"
                    + " configured default server image. A change rolls the pods.")
    private String image;

    @Default(DEFAULT_HANDLER)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 63)
    @JsonPropertyDescription(
            "Connection handler: echo, proxy, or the name of a plugin in the image's plugins directory. Default "
                    + DEFAULT_HANDLER + ". A change rolls the pods.")
    private String handler;

    @Default("" + DEFAULT_PORT)
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("TCP port of the container and of the Service (1-65535, not the admin port 9090). Default "
            + DEFAULT_PORT + ". A change rolls the pods and changes the Service's port.")
    private Integer port;

    @JsonPropertyDescription("Backend of the proxy handler. Required when handler is proxy, forbidden otherwise.")
    private Upstream upstream;

    @JsonPropertyDescription("TLS on the TCP port, from a kubernetes.io/tls Secret. Unset: plaintext. A change"
            + " rolls the pods; a renewal of the Secret's certificate does not.")
    private Tls tls;

    @Default("{}")
    @JsonPropertyDescription("PROXY protocol (v1 or v2) from a load balancer in front of the pods.")
    private ProxyProtocol proxyProtocol;

    @Default("{}")
    @JsonPropertyDescription("Per-pod connection limits, idle timeout, TCP keepalive and maximum connection age.")
    private Connections connections;

    @Default("{}")
    @JsonPropertyDescription("Graceful drain when a pod stops: keep accepting for delay, then close at closeRate"
            + " and wait up to timeout.")
    private Drain drain;

    @Default("{}")
    @JsonPropertyDescription("The Service that exposes the TCP port; changing it does not roll the pods.")
    private ServiceSpec service;

    @JsonPropertyDescription("PodDisruptionBudget: maxUnavailable or minAvailable, not both. Default maxUnavailable 1.")
    private Disruption disruption;

    @Default("{}")
    @JsonPropertyDescription("Prometheus scraping: a ServiceMonitor when the Prometheus Operator is installed.")
    private Monitoring monitoring;

    @ValidationRule(
            value = "!has(self.claims) || size(self.claims) == 0",
            message = "spec.resources.claims is not supported: the pods declare no resource claims")
    @ValidationRule(
            value = "(!has(self.limits) || self.limits.all(k, k in ['cpu', 'memory', 'ephemeral-storage']))"
                    + " && (!has(self.requests) || self.requests.all(k, k in ['cpu', 'memory', 'ephemeral-storage']))",
            message = "spec.resources: limits and requests may name cpu, memory and ephemeral-storage")
    @ValidationRule(
            value = "(!has(self.limits) || self.limits.all(k, isQuantity(string(self.limits[k]))"
                    + " && !quantity(string(self.limits[k])).isLessThan(quantity('0'))))"
                    + " && (!has(self.requests) || self.requests.all(k, isQuantity(string(self.requests[k]))"
                    + " && !quantity(string(self.requests[k])).isLessThan(quantity('0'))))",
            message = "spec.resources: limits and requests must be quantities of at least 0 (500m, 2, 128Mi, 1Gi)")
    @ValidationRule(
            value = "!has(self.limits) || !has(self.requests) || self.requests.all(k, !(k in self.limits)"
                    + " || !isQuantity(string(self.requests[k])) || !isQuantity(string(self.limits[k]))"
                    + " || quantity(string(self.requests[k])).compareTo(quantity(string(self.limits[k]))) <= 0)",
            message = "spec.resources: each request must be at most its limit")
    @JsonPropertyDescription(
            "Compute resources (CPU, memory) of the server container: requests reserve, limits cap. Default none."
                    + " A change rolls the pods.")
    private ResourceRequirements resources;

    @JsonPropertyDescription(
            "Pod-level overrides: labels, annotations, scheduling, priority, extra environment. A change rolls"
                    + " the pods.")
    private PodOverrides pod;

    @JsonPropertyDescription("Rolling update of the pods: maxSurge (default 1) and maxUnavailable (only 0).")
    private Rollout rollout;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Autoscaling getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(Autoscaling autoscaling) {
        this.autoscaling = autoscaling;
    }

    public Rebalance getRebalance() {
        return rebalance;
    }

    public void setRebalance(Rebalance rebalance) {
        this.rebalance = rebalance;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getHandler() {
        return handler;
    }

    public void setHandler(String handler) {
        this.handler = handler;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Upstream getUpstream() {
        return upstream;
    }

    public void setUpstream(Upstream upstream) {
        this.upstream = upstream;
    }

    public Tls getTls() {
        return tls;
    }

    public void setTls(Tls tls) {
        this.tls = tls;
    }

    public ProxyProtocol getProxyProtocol() {
        return proxyProtocol;
    }

    public void setProxyProtocol(ProxyProtocol proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
    }

    public Connections getConnections() {
        return connections;
    }

    public void setConnections(Connections connections) {
        this.connections = connections;
    }

    public Drain getDrain() {
        return drain;
    }

    public void setDrain(Drain drain) {
        this.drain = drain;
    }

    public ServiceSpec getService() {
        return service;
    }

    public void setService(ServiceSpec service) {
        this.service = service;
    }

    public Disruption getDisruption() {
        return disruption;
    }

    public void setDisruption(Disruption disruption) {
        this.disruption = disruption;
    }

    public Monitoring getMonitoring() {
        return monitoring;
    }

    public void setMonitoring(Monitoring monitoring) {
        this.monitoring = monitoring;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public PodOverrides getPod() {
        return pod;
    }

    public void setPod(PodOverrides pod) {
        this.pod = pod;
    }

    public Rollout getRollout() {
        return rollout;
    }

    public void setRollout(Rollout rollout) {
        this.rollout = rollout;
    }
}
