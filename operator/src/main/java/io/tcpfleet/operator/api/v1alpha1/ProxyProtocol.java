package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxyProtocol {

    public static final String DEFAULT_TIMEOUT = "5s";

    /** Not Off/On: YAML 1.1 reads those as booleans. No Optional mode: a header must come from the balancer. */
    public enum Mode {
        Disabled,
        Required
    }

    @Default("Disabled")
    @JsonPropertyDescription("Required: every connection must start with a PROXY protocol v1 or v2 header (from a"
            + " load balancer that always sends one); a connection without one is closed and counted, and the"
            + " header's client address is the one logged, limited and given to plugins. Disabled: bytes that look"
            + " like a header are the client's data. Default Disabled.")
    private Mode mode;

    @Default(DEFAULT_TIMEOUT)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "must be more than 0")
    @JsonPropertyDescription("With mode Required: close a connection whose header is not in by then, Go duration."
            + " Default " + DEFAULT_TIMEOUT + ".")
    private String timeout;

    public ProxyProtocol() {}

    public ProxyProtocol(Mode mode, String timeout) {
        this.mode = mode;
        this.timeout = timeout;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }
}
