package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("Rebalance connections after a scale-out: when the busiest Ready pod holds more than"
        + " absoluteThreshold connections over the emptiest and more than relativeThresholdPercent over it, the"
        + " pods above the fleet's average ask their excess to go, the busiest connectionsPerSecond, and read not ready"
        + " meanwhile, so that the clients reconnect to the emptier pods. Set it ({} for the defaults) to turn it"
        + " on.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rebalance {

    /** The thresholds are EMQX's defaults (abs_conn_threshold 1000, rel_conn_threshold 1.1). */
    public static final int DEFAULT_ABSOLUTE_THRESHOLD = 1000;

    public static final int DEFAULT_RELATIVE_THRESHOLD_PERCENT = 10;
    public static final int DEFAULT_CONNECTIONS_PER_SECOND = 100;
    public static final String DEFAULT_READY_FOR = "3m";
    public static final String DEFAULT_COOLDOWN = "5m";

    @Default("" + DEFAULT_ABSOLUTE_THRESHOLD)
    @Min(1)
    @JsonPropertyDescription("Rebalance only when the busiest pod holds more than this many connections over the"
            + " emptiest. Default " + DEFAULT_ABSOLUTE_THRESHOLD + ".")
    private Integer absoluteThreshold;

    @Default("" + DEFAULT_RELATIVE_THRESHOLD_PERCENT)
    @Min(0)
    @Max(10000)
    @JsonPropertyDescription("And only when the busiest holds more than this percentage over the emptiest. Default "
            + DEFAULT_RELATIVE_THRESHOLD_PERCENT + " (EMQX's 1.1).")
    private Integer relativeThresholdPercent;

    @Default("" + DEFAULT_CONNECTIONS_PER_SECOND)
    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("How many connections the busiest shedding pod asks to go per second, so that their"
            + " clients reconnect spread out; the others in proportion, so that all are done together. Default "
            + DEFAULT_CONNECTIONS_PER_SECOND + ".")
    private Integer connectionsPerSecond;

    @Default(DEFAULT_READY_FOR)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription("A round starts only once every pod has been Ready this long (new pods settled, a"
            + " rollout or the last round over), Go duration. Default " + DEFAULT_READY_FOR + ".")
    private String readyFor;

    @Default(DEFAULT_COOLDOWN)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription(
            "At least this long between the starts of two rounds, Go duration. Default " + DEFAULT_COOLDOWN + ".")
    private String cooldown;

    public Integer getAbsoluteThreshold() {
        return absoluteThreshold;
    }

    public void setAbsoluteThreshold(Integer absoluteThreshold) {
        this.absoluteThreshold = absoluteThreshold;
    }

    public Integer getRelativeThresholdPercent() {
        return relativeThresholdPercent;
    }

    public void setRelativeThresholdPercent(Integer relativeThresholdPercent) {
        this.relativeThresholdPercent = relativeThresholdPercent;
    }

    public Integer getConnectionsPerSecond() {
        return connectionsPerSecond;
    }

    public void setConnectionsPerSecond(Integer connectionsPerSecond) {
        this.connectionsPerSecond = connectionsPerSecond;
    }

    public String getReadyFor() {
        return readyFor;
    }

    public void setReadyFor(String readyFor) {
        this.readyFor = readyFor;
    }

    public String getCooldown() {
        return cooldown;
    }

    public void setCooldown(String cooldown) {
        this.cooldown = cooldown;
    }
}
