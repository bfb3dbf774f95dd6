package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientCA {

    public static final String DEFAULT_KEY = SecretKeys.DEFAULT_CA_KEY;

    @Required
    @Size(min = 1, max = 253)
    @Pattern(PodFieldSchema.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret in the TcpService's namespace that holds the CA certificates"
            + " (PEM); it may be spec.tls.secretName itself. Mounted read-only, renewals picked up like the"
            + " server certificate's.")
    private String secretName;

    @Default(DEFAULT_KEY)
    @Size(min = 1, max = 253)
    @Pattern(SecretKeys.PATTERN)
    @ValidationRule(value = SecretKeys.NOT_DOTS_RULE, message = SecretKeys.NOT_DOTS_MESSAGE)
    @JsonPropertyDescription("Key of the Secret holding the CA certificates. A key the Secret lacks stops the"
            + " server at start, naming the file. Default " + DEFAULT_KEY + ".")
    private String key;

    public ClientCA() {}

    public ClientCA(String secretName, String key) {
        this.secretName = secretName;
        this.key = key;
    }

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
