package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Keepalive {

    @Default("60s")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Idle time before the first keepalive probe, Go duration. Default 60s.")
    private String idle;

    @Default("10s")
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Time between keepalive probes, Go duration. Default 10s.")
    private String interval;

    @Default("3")
    @Min(1)
    @Max(127)
    @JsonPropertyDescription("Unanswered probes before the connection is dropped (1-127). Default 3.")
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
