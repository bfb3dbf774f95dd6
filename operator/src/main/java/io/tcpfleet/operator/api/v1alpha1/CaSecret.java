package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaSecret {

    public static final String DEFAULT_KEY = SecretKeys.DEFAULT_CA_KEY;

    @Required
    @Size(min = 1, max = 253)
    @Pattern(PodFieldSchema.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret in the TcpService's namespace that holds the CA certificates"
            + " (PEM) the upstream's certificate must chain to. Mounted read-only.")
    private String name;

    @Default(DEFAULT_KEY)
    @Size(min = 1, max = 253)
    @Pattern(SecretKeys.PATTERN)
    @ValidationRule(value = SecretKeys.NOT_DOTS_RULE, message = SecretKeys.NOT_DOTS_MESSAGE)
    @JsonPropertyDescription("Key of the Secret holding the CA certificates. Default " + DEFAULT_KEY + ".")
    private String key;

    public CaSecret() {}

    public CaSecret(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
