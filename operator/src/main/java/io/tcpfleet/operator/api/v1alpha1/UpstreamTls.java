package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.enabled || (!has(self.caSecret) && !has(self.serverName))",
        message = "spec.upstream.tls.caSecret and serverName need spec.upstream.tls.enabled: true")
public class UpstreamTls {

    @Default("false")
    @JsonPropertyDescription(
            "Speak TLS to the upstream. Its certificate and host name are always verified. Default" + " false.")
    private Boolean enabled;

    @JsonPropertyDescription("Secret with the CA certificates the upstream's certificate must chain to. Unset: the"
            + " JDK's trust store (public CAs).")
    private CaSecret caSecret;

    @Size(min = 1, max = 253)
    @Pattern(KubernetesSyntax.HOST)
    @JsonPropertyDescription(
            "Name to send (SNI) and to verify the upstream's certificate against. Unset:" + " spec.upstream.host.")
    private String serverName;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public CaSecret getCaSecret() {
        return caSecret;
    }

    public void setCaSecret(CaSecret caSecret) {
        this.caSecret = caSecret;
    }

    public String getServerName() {
        return serverName;
    }

    public void setServerName(String serverName) {
        this.serverName = serverName;
    }
}
