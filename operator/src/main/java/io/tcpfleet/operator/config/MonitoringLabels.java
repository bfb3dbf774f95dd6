package io.tcpfleet.operator.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator-wide monitoring labels ({@link OperatorConfig#monitoringLabels()}), parsed once. A
 * Prometheus selects ServiceMonitors and PrometheusRules by label (kube-prometheus-stack: {@code
 * release: <its release>}); setting it here labels every TcpService's objects at once, where
 * spec.monitoring.labels needs each TcpService edited. A malformed setting fails the start, naming
 * the setting: otherwise every ServiceMonitor write would be refused, one reconcile error at a time.
 */
@Singleton
public class MonitoringLabels {

    static final String SETTING = "tcpfleet.operator.monitoring-labels (env TCPFLEET_OPERATOR_MONITORING_LABELS)";
    /** A label name: an optional DNS-subdomain prefix and a name of at most 63 characters. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");

    private static final Pattern PREFIX =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final Map<String, String> labels;

    MonitoringLabels(OperatorConfig config) {
        this.labels = parse(config.monitoringLabels().orElse(""));
    }

    /** In setting order; empty when unset. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Constructing this bean parsed the setting, so a malformed one stops the start here. */
    void onStart(@Observes StartupEvent event) {
        labels();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty()) {
                continue; // "a=b," and an unset value are fine
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                throw invalid("\"" + trimmed + "\" is not key=value");
            }
            String key = trimmed.substring(0, eq).strip();
            String value = trimmed.substring(eq + 1).strip();
            if (!validKey(key)) {
                throw invalid("\"" + key + "\" is not a label name ([prefix/]name, name at most 63 characters)");
            }
            if (!value.isEmpty() && !NAME.matcher(value).matches()) {
                throw invalid("the value of " + key + ", \"" + value + "\", is not a label value"
                        + " (at most 63 characters: letters, digits, '-', '_', '.', starting and ending"
                        + " with a letter or digit)");
            }
            if (labels.put(key, value) != null) {
                throw invalid(key + " is given twice");
            }
        }
        return Collections.unmodifiableMap(labels);
    }

    private static boolean validKey(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return NAME.matcher(key).matches();
        }
        String prefix = key.substring(0, slash);
        return prefix.length() <= 253
                && PREFIX.matcher(prefix).matches()
                && NAME.matcher(key.substring(slash + 1)).matches();
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(SETTING + ": " + why);
    }
}
