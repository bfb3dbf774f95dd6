package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * How a changed spec replaces the pods: the Deployment's rolling update. tcpfleet never trades
 * capacity for speed: a pod leaves (and drains) only once its successor is Ready, so maxUnavailable
 * stays 0 and a faster rollout surges more. The API server refuses anything else (a rule may be
 * relaxed in a later release, never tightened: docs/upgrade.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rollout {

    public static final int DEFAULT_MAX_SURGE = 1;
    public static final int DEFAULT_MAX_UNAVAILABLE = 0;

    @ValidationRule(
            value = "type(self) == int ? self >= 1 : self.matches('^[1-9][0-9]{0,3}%$')",
            message = "spec.rollout.maxSurge must be at least 1, or a percentage of at least 1%: with"
                    + " maxUnavailable 0 a rollout needs a new pod before an old one may go")
    @JsonPropertyDescription("Pods started above spec.replicas during a rollout: a number (at least 1) or a"
            + " percentage of replicas, rounded up (e.g. 25%). More rolls a large fleet faster, if the"
            + " namespace's quota and the nodes have room for the extra pods. Default "
            + DEFAULT_MAX_SURGE + ".")
    private IntOrString maxSurge;

    @ValidationRule(
            value = "type(self) == int ? self == 0 : self == '0%'",
            message = "spec.rollout.maxUnavailable must be 0: tcpfleet replaces a pod only once its"
                    + " successor is Ready, so serving capacity never drops; raise spec.rollout.maxSurge"
                    + " to roll faster")
    @JsonPropertyDescription("Pods below spec.replicas during a rollout. Only 0 (or 0%) is accepted: a pod"
            + " leaves only once its successor is Ready, so capacity never drops. Default "
            + DEFAULT_MAX_UNAVAILABLE + ".")
    private IntOrString maxUnavailable;

    public IntOrString getMaxSurge() {
        return maxSurge;
    }

    public void setMaxSurge(IntOrString maxSurge) {
        this.maxSurge = maxSurge;
    }

    public IntOrString getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(IntOrString maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }
}
