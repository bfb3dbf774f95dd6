package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.maxAgeGrace) || (has(self.maxAge) && self.maxAge != '0'"
                + " && duration(self.maxAge) > duration('0s'))",
        message = "spec.connections.maxAgeGrace needs spec.connections.maxAge")
public class Connections {

    public static final int DEFAULT_MAX = 10000;
    public static final String DEFAULT_IDLE_TIMEOUT = "5m";
    public static final String DEFAULT_MAX_AGE = "0";
    public static final int DEFAULT_MAX_AGE_JITTER_PERCENT = 10;
    public static final String DEFAULT_MAX_AGE_GRACE = "30s";

    @Default("" + DEFAULT_MAX)
    @Min(1)
    @JsonPropertyDescription(
            "Maximum concurrent connections per pod (at least 1); beyond it new connections are refused and counted. Default "
                    + DEFAULT_MAX + ".")
    private Integer max;

    @Default(DEFAULT_IDLE_TIMEOUT)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription(
            "Close a connection after no inbound bytes for this long, Go duration; 0 means never. Default "
                    + DEFAULT_IDLE_TIMEOUT + ".")
    private String idleTimeout;

    @Default("{}")
    @JsonPropertyDescription("TCP keepalive probes on client connections.")
    private Keepalive keepalive;

    @Default(DEFAULT_MAX_AGE)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @ValidationRule(
            value = "self == '0' || duration(self) == duration('0s') || duration(self) >= duration('1s')",
            message = "must be 0 (off) or at least 1s")
    @JsonPropertyDescription("Ask a connection older than this (give or take maxAgeJitterPercent) to go, so that"
            + " long-lived clients spread over new pods after a scale-out; closed maxAgeGrace later if still open."
            + " Counted as close reason max_age. Go duration; 0 means never. Default " + DEFAULT_MAX_AGE + ".")
    private String maxAge;

    @Default("" + DEFAULT_MAX_AGE_JITTER_PERCENT)
    @Min(0)
    @Max(50)
    @JsonPropertyDescription("Each connection's maxAge is moved by a random amount within this many percent, so"
            + " connections opened together do not all go together (0-50). Default "
            + DEFAULT_MAX_AGE_JITTER_PERCENT + ".")
    private Integer maxAgeJitterPercent;

    // No schema default: admission refuses it without maxAge, and a default would always be there.
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription("With maxAge: how long a connection asked to go may take to finish before it is"
            + " closed, Go duration. Unset: " + DEFAULT_MAX_AGE_GRACE + ".")
    private String maxAgeGrace;

    public Integer getMax() {
        return max;
    }

    public void setMax(Integer max) {
        this.max = max;
    }

    public String getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(String idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Keepalive getKeepalive() {
        return keepalive;
    }

    public void setKeepalive(Keepalive keepalive) {
        this.keepalive = keepalive;
    }

    public String getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(String maxAge) {
        this.maxAge = maxAge;
    }

    public Integer getMaxAgeJitterPercent() {
        return maxAgeJitterPercent;
    }

    public void setMaxAgeJitterPercent(Integer maxAgeJitterPercent) {
        this.maxAgeJitterPercent = maxAgeJitterPercent;
    }

    public String getMaxAgeGrace() {
        return maxAgeGrace;
    }

    public void setMaxAgeGrace(String maxAgeGrace) {
        this.maxAgeGrace = maxAgeGrace;
    }
}
