package io.tcpfleet.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.tcpfleet.operator.api.v1alpha1.TcpService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alerts of deploy/monitoring/prometheus-rule.yaml for one TcpService: the same expressions,
 * thresholds and durations, each series narrowed to this service. The server's series carry the
 * labels its ServiceMonitor's scrape gives them (namespace, service = the metrics Service, pod);
 * kube-state-metrics' TcpService condition carries namespace and name. The operator-wide
 * reconcile-error alert stays in the fleet rule: it is about the operator, not one service.
 *
 * <p>The group also records {@value #OWNED_RECORD} for this service. The fleet rule's alerts skip the
 * services that series names ({@code unless on (...)}), so a service with its own rule alerts once,
 * from here, and the fleet rule still covers services without one (docs/monitoring.md).
 */
public final class ServerPrometheusRule {

    public static final String CRD_NAME = "prometheusrules.monitoring.coreos.com";
    public static final String GROUP_NAME_SUFFIX = ".tcpfleet";
    /** Recorded by every per-service rule; deploy/monitoring/prometheus-rule.yaml reads it. */
    public static final String OWNED_RECORD = "tcpfleet:tcpservice_alerts_owned";
    /** Where every alert's runbook_url points: docs/runbooks.md of the published repository, one section per alert. */
    public static final String RUNBOOKS_URL = "https://github.com/tcpfleet/tcpfleet/blob/main/docs/runbooks.md";

    private ServerPrometheusRule() {}

    public static PrometheusRule build(TcpService tcps) {
        return build(tcps, Map.of());
    }

    /**
     * The PrometheusRule, labelled with the operator-wide monitoring labels under the TcpService's own.
     *
     * @param operatorLabels the operator-wide monitoring labels (tcpfleet.operator.monitoring-labels);
     *     spec.monitoring.labels win over them, the operator's own labels win over both
     */
    public static PrometheusRule build(TcpService tcps, Map<String, String> operatorLabels) {
        EffectiveSpec spec = EffectiveSpec.of(tcps.getSpec());
        Map<String, String> labels = new LinkedHashMap<>(operatorLabels);
        labels.putAll(spec.monitoringLabels());
        labels.putAll(TcpServiceResources.labels(tcps));
        return new PrometheusRuleBuilder()
                .withMetadata(TcpServiceResources.metadata(tcps, TcpServiceResources.prometheusRuleName(tcps), labels))
                .withNewSpec()
                .addNewGroup()
                .withName(tcps.getMetadata().getNamespace() + "."
                        + tcps.getMetadata().getName() + GROUP_NAME_SUFFIX)
                .withRules(rules(tcps))
                .endGroup()
                .endSpec()
                .build();
    }

    /** PromQL matchers for this service's server series, as the ServiceMonitor's scrape labels them. */
    static String serverScope(TcpService tcps) {
        return "namespace=\"" + tcps.getMetadata().getNamespace() + "\",service=\""
                + TcpServiceResources.metricsServiceName(tcps) + "\"";
    }

    /** PromQL matchers for this TcpService's kube-state-metrics series. */
    static String objectScope(TcpService tcps) {
        return "namespace=\"" + tcps.getMetadata().getNamespace() + "\",name=\""
                + tcps.getMetadata().getName() + "\"";
    }

    /** The "this service alerts for itself" series, labelled as both kinds of this service's series are. */
    static Rule owned(TcpService tcps) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("namespace", tcps.getMetadata().getNamespace());
        labels.put("service", TcpServiceResources.metricsServiceName(tcps));
        labels.put("name", tcps.getMetadata().getName());
        return new RuleBuilder()
                .withRecord(OWNED_RECORD)
                .withExpr(new IntOrString("vector(1)"))
                .withLabels(labels)
                .build();
    }

    /** The runbook_url of an alert: its section of docs/runbooks.md (GitHub's anchor is the lower-cased heading). */
    public static String runbookUrl(String alert) {
        return RUNBOOKS_URL + "#" + alert.toLowerCase(Locale.ROOT);
    }

    private static List<Rule> rules(TcpService tcps) {
        String s = serverScope(tcps);
        return List.of(
                owned(tcps),
                alert(
                        "TcpfleetConnectionsNearMax",
                        "max by (namespace, service, pod) (tcpfleet_connections_active{" + s
                                + "} / tcpfleet_connections_max{" + s + "}) > 0.9",
                        "5m",
                        "warning",
                        "{{ $labels.pod }} holds {{ $value | humanizePercentage }} of its connection limit",
                        "Above 90% of spec.connections.max for 5 minutes; new connections beyond max are refused."
                                + " Scale the TcpService or raise spec.connections.max if memory allows."),
                alert(
                        "TcpfleetConnectionsRefused",
                        "sum by (namespace, service, reason) (rate(tcpfleet_connections_refused_total{" + s
                                + "}[5m])) > 1",
                        "5m",
                        "warning",
                        "{{ $labels.service }} refuses {{ $value | humanize }} connections/s (reason {{ $labels.reason }})",
                        "reason=limit: pods are at spec.connections.max, scale out. reason=drain: clients keep"
                                + " reaching draining pods, check that they reconnect to the Service, not to pod IPs."),
                alert(
                        "TcpfleetDrainForcedCloses",
                        "sum by (namespace, service, pod) (increase(tcpfleet_connections_closed_total{reason=\"forced\","
                                + s + "}[10m])) > 0",
                        null,
                        "warning",
                        "{{ $labels.pod }} force-closed connections at the end of its drain",
                        "Connections were still open after spec.drain.timeout and were cut. Raise"
                                + " spec.drain.timeout, or make clients reconnect sooner."),
                alert(
                        "TcpfleetUpstreamCircuitOpen",
                        "max by (namespace, service) (tcpfleet_upstream_circuit_open{" + s + "}) == 1",
                        "1m",
                        "critical",
                        "{{ $labels.service }}: the upstream circuit is open",
                        "The proxy pods cannot connect to spec.upstream and fail new connections fast. Check the"
                                + " upstream's health, its Service and DNS name, and NetworkPolicies."),
                alert(
                        "TcpfleetCloseWaitPilingUp",
                        "max by (namespace, service, pod) (tcpfleet_sockets{state=\"close_wait\"," + s + "}) > 100",
                        "15m",
                        "warning",
                        "{{ $labels.pod }} holds {{ $value }} sockets in CLOSE_WAIT",
                        "Peers closed their side but the server did not close its own for 15 minutes. Take a"
                                + " thread dump (/debug/threads); see docs/troubleshooting.md \"Reading the socket-state gauges\"."),
                certificateExpiring(s, "14 * 86400", "1h", "warning", "14 days"),
                certificateExpiring(s, "2 * 86400", "5m", "critical", "2 days (or has expired)"),
                alert(
                        "TcpfleetCertificateReloadFailed",
                        "sum by (namespace, service, pod) (increase(tcpfleet_tls_reloads_total{result=\"failure\"," + s
                                + "}[30m])) > 0",
                        null,
                        "warning",
                        "{{ $labels.pod }} could not use its renewed TLS certificate",
                        "The certificate files changed but cannot serve, so the pod keeps the one it had. Its log"
                                + " line \"TLS files changed but cannot be used\" says why."),
                alert(
                        "TcpServiceNotReady",
                        "max by (namespace, name) (kube_tcpfleet_tcpservice_condition{type=\"Ready\","
                                + objectScope(tcps) + "}) == 0",
                        "10m",
                        "warning",
                        "TcpService {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for 10 minutes",
                        "Run kubectl describe tcps: the Ready condition's reason and the Warning Events name the cause."));
    }

    /** One severity of the certificate expiry alert: the same name, so Alertmanager's inhibition pairs them. */
    private static Rule certificateExpiring(
            String scope, String seconds, String forDuration, String severity, String within) {
        return alert(
                "TcpfleetCertificateExpiringSoon",
                "min by (namespace, service) (tcpfleet_tls_certificate_expiry_timestamp_seconds{" + scope
                        + "}) - time() < " + seconds,
                forDuration,
                severity,
                "{{ $labels.service }} serves a TLS certificate that expires in {{ $value | humanizeDuration }}",
                "A pod serves a certificate that expires in less than " + within + "; cert-manager renews"
                        + " 30 days before expiry by default, so renewal has been failing. kubectl describe"
                        + " certificate names the cause.");
    }

    private static Rule alert(
            String name, String expr, String forDuration, String severity, String summary, String description) {
        return new RuleBuilder()
                .withAlert(name)
                .withExpr(new IntOrString(expr))
                .withFor(forDuration)
                .withLabels(Map.of("severity", severity))
                .withAnnotations(
                        Map.of("summary", summary, "description", description, "runbook_url", runbookUrl(name)))
                .build();
    }
}
