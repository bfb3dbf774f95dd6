package io.tcpfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Monitoring {

    public static final String DEFAULT_INTERVAL = "30s";

    @Default("true")
    @JsonPropertyDescription("Create a ServiceMonitor when the monitoring.coreos.com/v1 API exists. Default true.")
    private Boolean serviceMonitor;

    @Default("true")
    @JsonPropertyDescription("Create a PrometheusRule with this service's alerts when the monitoring.coreos.com/v1"
            + " PrometheusRule API exists. Default true.")
    private Boolean prometheusRule;

    @Default(DEFAULT_INTERVAL)
    @Pattern(Durations.ORDERED_PATTERN)
    @JsonPropertyDescription("Prometheus scrape interval, Go duration. Default " + DEFAULT_INTERVAL + ".")
    private String interval;

    @Size(max = KubernetesSyntax.MAX_MAP_ENTRIES)
    @ValidationRule(value = KubernetesSyntax.LABEL_KEYS_RULE, message = KubernetesSyntax.LABEL_KEYS_MESSAGE)
    @ValidationRule(value = KubernetesSyntax.LABEL_VALUES_RULE, message = KubernetesSyntax.LABEL_VALUES_MESSAGE)
    @JsonPropertyDescription("Extra labels on the ServiceMonitor and PrometheusRule, for a Prometheus"
            + " serviceMonitorSelector and ruleSelector.")
    private Map<String, String> labels;

    public Boolean getServiceMonitor() {
        return serviceMonitor;
    }

    public void setServiceMonitor(Boolean serviceMonitor) {
        this.serviceMonitor = serviceMonitor;
    }

    public Boolean getPrometheusRule() {
        return prometheusRule;
    }

    public void setPrometheusRule(Boolean prometheusRule) {
        this.prometheusRule = prometheusRule;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }
}
