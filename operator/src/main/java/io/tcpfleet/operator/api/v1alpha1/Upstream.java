package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Upstream {

    public static final String DEFAULT_CONNECT_TIMEOUT = "2s";

    @Required
    @Size(min = 1, max = 253)
    @Pattern(KubernetesSyntax.HOST)
    @JsonPropertyDescription("Host name or IP address of the backend, for example redis.db.svc.")
    private String host;

    @Required
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("TCP port of the backend (1-65535).")
    private Integer port;

    @Default(DEFAULT_CONNECT_TIMEOUT)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "must be more than 0")
    @JsonPropertyDescription("How long to wait for a backend connection, Go duration (250ms, 2s). Default "
            + DEFAULT_CONNECT_TIMEOUT + ".")
    private String connectTimeout;

    @Default("Disabled")
    @JsonPropertyDescription("V2: start each upstream connection with a PROXY protocol v2 header naming the client,"
            + " so the upstream sees the client's address. Disabled: nothing is sent. Default Disabled.")
    private UpstreamProxyProtocol proxyProtocol;

    @JsonPropertyDescription("TLS to the upstream. Unset: plaintext.")
    private UpstreamTls tls;

    /** What the proxy tells its upstream about the client. */
    public enum UpstreamProxyProtocol {
        Disabled,
        V2
    }

    public Upstream() {}

    public Upstream(String host, Integer port, String connectTimeout) {
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public UpstreamProxyProtocol getProxyProtocol() {
        return proxyProtocol;
    }

    public void setProxyProtocol(UpstreamProxyProtocol proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
    }

    public UpstreamTls getTls() {
        return tls;
    }

    public void setTls(UpstreamTls tls) {
        this.tls = tls;
    }
}
