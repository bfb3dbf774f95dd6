package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tls {

    public static final String DEFAULT_MIN_VERSION = "TLSv1.2";
    public static final String DEFAULT_HANDSHAKE_TIMEOUT = "10s";

    /** The versions the server takes; YAML reads neither as anything but a string. */
    public enum MinVersion {
        @JsonProperty("TLSv1.2")
        TLS_1_2,
        @JsonProperty("TLSv1.3")
        TLS_1_3;

        /** As the server's --tls-min-version takes it. */
        public String flag() {
            return this == TLS_1_2 ? "TLSv1.2" : "TLSv1.3";
        }
    }

    @Required
    @Size(min = 1, max = 253)
    @Pattern(PodFieldSchema.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of a Secret of type kubernetes.io/tls in the TcpService's namespace (tls.crt,"
            + " tls.key: what cert-manager writes). Mounted read-only into the pods; a renewed Secret is picked up"
            + " by the servers within about a minute (the kubelet's sync, then a 1 s check) without a restart or a"
            + " dropped connection. A missing Secret keeps the pods in ContainerCreating.")
    private String secretName;

    @JsonPropertyDescription("Ask clients for a certificate and accept only those a CA of this Secret signed"
            + " (mutual TLS). Unset: no client certificate is asked for.")
    private ClientCA clientCA;

    @Default(DEFAULT_MIN_VERSION)
    @JsonPropertyDescription("Lowest TLS version accepted: TLSv1.2 or TLSv1.3. Default " + DEFAULT_MIN_VERSION + ".")
    private MinVersion minVersion;

    @Size(max = 64)
    @ValidationRule(
            value = "self.all(c, c.matches('^[A-Z0-9_]+$'))",
            message = "spec.tls.ciphers: each must be an IANA cipher suite name: upper-case letters, digits and '_',"
                    + " e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    @JsonPropertyDescription("TLS 1.2 cipher suites by IANA name (TLS 1.3 suites are always the provider's)."
            + " Unset: the provider's strong defaults. A suite the server's TLS provider lacks stops it at start,"
            + " naming the suite.")
    private List<String> ciphers;

    @Default(DEFAULT_HANDSHAKE_TIMEOUT)
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.FITS_RULE, message = Durations.FITS_MESSAGE)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "must be more than 0")
    @JsonPropertyDescription("Close a connection whose TLS handshake is not done by then, Go duration. Default "
            + DEFAULT_HANDSHAKE_TIMEOUT + ".")
    private String handshakeTimeout;

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public ClientCA getClientCA() {
        return clientCA;
    }

    public void setClientCA(ClientCA clientCA) {
        this.clientCA = clientCA;
    }

    public MinVersion getMinVersion() {
        return minVersion;
    }

    public void setMinVersion(MinVersion minVersion) {
        this.minVersion = minVersion;
    }

    public List<String> getCiphers() {
        return ciphers;
    }

    public void setCiphers(List<String> ciphers) {
        this.ciphers = ciphers;
    }

    public String getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(String handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }
}
