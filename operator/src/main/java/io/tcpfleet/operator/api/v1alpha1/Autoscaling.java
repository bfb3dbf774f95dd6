package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("Scale on connections: the operator sets spec.replicas (through the scale subresource, as"
        + " an HPA would) to ceil((the fleet's connections + buffer) / targetConnectionsPerPod), within minReplicas"
        + " and maxReplicas, holding each change for its stabilization window. Do not also point an HPA or KEDA at"
        + " this TcpService.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
        message = "spec.autoscaling.minReplicas must be at most spec.autoscaling.maxReplicas")
public class Autoscaling {

    public static final int DEFAULT_MIN_REPLICAS = 1;
    public static final int DEFAULT_BUFFER = 0;
    public static final String DEFAULT_SCALE_UP_STABILIZATION = "0s";
    public static final String DEFAULT_SCALE_DOWN_STABILIZATION = "5m";
    /** Far more than one fleet needs; a bound keeps the API server's CEL cost estimate small. */
    public static final int MAX_REPLICAS = 10000;

    @Default("" + DEFAULT_MIN_REPLICAS)
    @Min(1)
    @Max(MAX_REPLICAS)
    @JsonPropertyDescription("Fewest pods, at least 1. Default " + DEFAULT_MIN_REPLICAS + ".")
    private Integer minReplicas;

    @Required
    @Min(1)
    @Max(MAX_REPLICAS)
    @JsonPropertyDescription("Most pods, at least minReplicas.")
    private Integer maxReplicas;

    @Required
    @Min(1)
    @JsonPropertyDescription("Connections one pod should hold, at most connections.max (a pod refuses beyond it).")
    private Integer targetConnectionsPerPod;

    @Default("" + DEFAULT_BUFFER)
    @Min(0)
    @JsonPropertyDescription("Spare connections to keep room for beyond the current ones, so that a burst of new"
            + " clients lands on pods that already run. Default " + DEFAULT_BUFFER + ".")
    private Integer buffer;

    @Default(DEFAULT_SCALE_UP_STABILIZATION)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription("Scale up only to the lowest size recommended over this window, Go duration. Default "
            + DEFAULT_SCALE_UP_STABILIZATION + ": at once.")
    private String scaleUpStabilization;

    @Default(DEFAULT_SCALE_DOWN_STABILIZATION)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription("Scale down only to the highest size recommended over this window, Go duration, so a"
            + " dip in connections does not remove pods that are needed again a minute later (each removal drains"
            + " its clients onto the others). Default " + DEFAULT_SCALE_DOWN_STABILIZATION + ".")
    private String scaleDownStabilization;

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetConnectionsPerPod() {
        return targetConnectionsPerPod;
    }

    public void setTargetConnectionsPerPod(Integer targetConnectionsPerPod) {
        this.targetConnectionsPerPod = targetConnectionsPerPod;
    }

    public Integer getBuffer() {
        return buffer;
    }

    public void setBuffer(Integer buffer) {
        this.buffer = buffer;
    }

    public String getScaleUpStabilization() {
        return scaleUpStabilization;
    }

    public void setScaleUpStabilization(String scaleUpStabilization) {
        this.scaleUpStabilization = scaleUpStabilization;
    }

    public String getScaleDownStabilization() {
        return scaleDownStabilization;
    }

    public void setScaleDownStabilization(String scaleDownStabilization) {
        this.scaleDownStabilization = scaleDownStabilization;
    }
}
