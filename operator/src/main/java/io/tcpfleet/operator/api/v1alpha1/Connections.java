package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Connections {

    public static final int DEFAULT_MAX = 10000;
    public static final String DEFAULT_IDLE_TIMEOUT = "5m";

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
}
