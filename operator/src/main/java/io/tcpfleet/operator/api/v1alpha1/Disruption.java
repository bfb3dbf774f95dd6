package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!(has(self.minAvailable) && has(self.maxUnavailable))",
        message = "spec.disruption.minAvailable and spec.disruption.maxUnavailable are mutually exclusive")
public class Disruption {

    @ValidationRule(
            value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')",
            message = "must be a number of at least 0 or a percentage from 0% to 100%")
    @JsonPropertyDescription(
            "Pods that may be unavailable during voluntary disruptions: a number or a percentage. Default 1 when minAvailable is not set.")
    private IntOrString maxUnavailable;

    @ValidationRule(
            value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')",
            message = "must be a number of at least 0 or a percentage from 0% to 100%")
    @JsonPropertyDescription(
            "Pods that must stay available during voluntary disruptions: a number or a percentage. Excludes maxUnavailable.")
    private IntOrString minAvailable;

    public Disruption() {}

    public Disruption(IntOrString maxUnavailable, IntOrString minAvailable) {
        this.maxUnavailable = maxUnavailable;
        this.minAvailable = minAvailable;
    }

    public IntOrString getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(IntOrString maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }

    public IntOrString getMinAvailable() {
        return minAvailable;
    }

    public void setMinAvailable(IntOrString minAvailable) {
        this.minAvailable = minAvailable;
    }
}
