package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Keepalive {

    public static final String DEFAULT_IDLE = "60s";
    public static final String DEFAULT_INTERVAL = "10s";
    public static final int DEFAULT_COUNT = 3;

    @Default(DEFAULT_IDLE)
    @Pattern(Durations.WHOLE_SECONDS_PATTERN)
    @ValidationRule(
            value = Durations.KEEPALIVE_RULE,
            message = "must be from 1s to 32767s (TCP keepalive takes whole seconds)")
    @JsonPropertyDescription(
            "Idle time before the first keepalive probe, whole seconds as a Go duration (1s-32767s). Default "
                    + DEFAULT_IDLE + ".")
    private String idle;

    @Default(DEFAULT_INTERVAL)
    @Pattern(Durations.WHOLE_SECONDS_PATTERN)
    @ValidationRule(
            value = Durations.KEEPALIVE_RULE,
            message = "must be from 1s to 32767s (TCP keepalive takes whole seconds)")
    @JsonPropertyDescription("Time between keepalive probes, whole seconds as a Go duration (1s-32767s). Default "
            + DEFAULT_INTERVAL + ".")
    private String interval;

    @Default("" + DEFAULT_COUNT)
    @Min(1)
    @Max(127)
    @JsonPropertyDescription(
            "Unanswered probes before the connection is dropped (1-127). Default " + DEFAULT_COUNT + ".")
    private Integer count;

    public String getIdle() {
        return idle;
    }

    public void setIdle(String idle) {
        this.idle = idle;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }
}
