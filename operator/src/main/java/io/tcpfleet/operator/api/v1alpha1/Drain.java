package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Drain {

    public static final String DEFAULT_DELAY = "5s";
    public static final String DEFAULT_TIMEOUT = "30s";
    public static final int DEFAULT_CLOSE_RATE = 0;

    @Default(DEFAULT_DELAY)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription(
            "Keep accepting (pod NotReady) for this long while endpoints propagate, Go duration. Default "
                    + DEFAULT_DELAY + ".")
    private String delay;

    @Default(DEFAULT_TIMEOUT)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @JsonPropertyDescription(
            "Then wait this long for connections to finish before force-closing them, Go duration. Default "
                    + DEFAULT_TIMEOUT + ".")
    private String timeout;

    @Default("" + DEFAULT_CLOSE_RATE)
    @Min(0)
    @JsonPropertyDescription("Close idle connections and ask busy ones to go at most this many per second, so the"
            + " clients of a draining pod do not all reconnect to its neighbours at once; the pods' grace period"
            + " grows by connections.max / closeRate seconds. 0: all at once. Default " + DEFAULT_CLOSE_RATE + ".")
    private Integer closeRate;

    public Drain() {}

    public Drain(String delay, String timeout) {
        this.delay = delay;
        this.timeout = timeout;
    }

    public String getDelay() {
        return delay;
    }

    public void setDelay(String delay) {
        this.delay = delay;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Integer getCloseRate() {
        return closeRate;
    }

    public void setCloseRate(Integer closeRate) {
        this.closeRate = closeRate;
    }
}
