package io.tcpfleet.e2e.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/monitoring, read strictly: the dashboard, the PrometheusRule and the kube-state-metrics config. */
final class MonitoringFiles {

    static final Path DIR = RepoPaths.resolve("deploy/monitoring");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private MonitoringFiles() {}

    static JsonNode dashboard() {
        return read(JSON, "grafana-dashboard.json");
    }

    static JsonNode rule() {
        return read(YAML, "prometheus-rule.yaml");
    }

    /** Panel title to its PromQL expressions, plus the template variables' queries. */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            int i = 0;
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        panel.path("title").asText() + " #" + i++,
                        target.path("expr").asText());
            }
        }
        return queries;
    }

    /** Alert name to expression. */
    static Map<String, String> alertExpressions() {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode group : rule().path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return alerts;
    }

    /** Every metric name the dashboard and the alerts read. */
    static Set<String> queriedMetrics() {
        Set<String> names = new TreeSet<>();
        dashboardQueries().values().forEach(q -> names.addAll(PromQlNames.of(q)));
        alertExpressions().values().forEach(q -> names.addAll(PromQlNames.of(q)));
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            Matcher m =
                    LABEL_VALUES.matcher(variable.path("query").path("query").asText());
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The names kube-state-metrics exports with our custom resource state config. */
    static Set<String> kubeStateMetricsNames() {
        JsonNode configMap = null;
        try {
            for (JsonNode doc : YAML.readValues(
                            YAML.createParser(DIR.resolve("kube-state-metrics-tcpservice.yaml")
                                    .toFile()),
                            JsonNode.class)
                    .readAll()) {
                if (doc.path("kind").asText().equals("ConfigMap")) {
                    configMap = doc;
                }
            }
            JsonNode config =
                    YAML.readTree(configMap.path("data").path("config").asText());
            Set<String> names = new TreeSet<>();
            for (JsonNode resource : config.path("spec").path("resources")) {
                for (JsonNode metric : resource.path("metrics")) {
                    names.add(resource.path("metricNamePrefix").asText() + "_"
                            + metric.path("name").asText());
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String file) {
        try {
            return mapper.readTree(DIR.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("deploy/monitoring/" + file + " does not parse", e);
        }
    }
}
