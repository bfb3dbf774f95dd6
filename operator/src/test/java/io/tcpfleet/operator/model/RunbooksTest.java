package io.tcpfleet.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.tcpfleet.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A pager's link works: every alert, of the fleet rule, its chart copy and the operator's per-service
 * rule, has a runbook_url into docs/runbooks.md of the repository the pom publishes, and the anchor is
 * a heading there (as GitHub makes anchors of headings).
 */
class RunbooksTest {

    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");
    private static final Pattern POM_URL = Pattern.compile("<url>(https://github\\.com/[^<]+)</url>");

    @Test
    void everyAlertLinksToItsOwnSectionOfTheRunbooks() throws IOException {
        Set<String> anchors = anchors();
        List<Rule> alerts = new java.util.ArrayList<>();
        for (String file :
                List.of("deploy/monitoring/prometheus-rule.yaml", "charts/tcpfleet/files/prometheus-rule.yaml")) {
            alerts.addAll(alerts(new KubernetesSerialization()
                    .unmarshal(Files.readString(RepoPaths.resolve(file)), PrometheusRule.class)));
        }
        alerts.addAll(alerts(ServerPrometheusRule.build(TestTcpServices.named("echo"))));
        assertThat(alerts).hasSize(10 + 10 + 9);

        String runbooks = repositoryUrl() + "/blob/main/docs/runbooks.md#";
        assertThat(alerts).allSatisfy(alert -> {
            String url = alert.getAnnotations().get("runbook_url");
            assertThat(url).as(alert.getAlert()).startsWith(runbooks);
            String anchor = url.substring(runbooks.length());
            assertThat(anchors).as(alert.getAlert()).contains(anchor);
            // Its own section, not a neighbour's.
            assertThat(anchor).isEqualTo(alert.getAlert().toLowerCase(Locale.ROOT));
        });
    }

    @Test
    void anchorsAreComputedAsGitHubDoes() {
        assertThat(anchor("TcpfleetConnectionsNearMax")).isEqualTo("tcpfleetconnectionsnearmax");
        assertThat(anchor("Who fires an alert")).isEqualTo("who-fires-an-alert");
        assertThat(anchor("`spec.pod`: volumes, mounts")).isEqualTo("specpod-volumes-mounts");
    }

    private static Set<String> anchors() throws IOException {
        Set<String> anchors = new TreeSet<>();
        Matcher m = HEADING.matcher(Files.readString(RepoPaths.resolve("docs/runbooks.md")));
        while (m.find()) {
            anchors.add(anchor(m.group(1)));
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    private static String anchor(String heading) {
        return heading.strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The home the pom publishes (project url), so a fork that changes it changes the links' test too. */
    private static String repositoryUrl() throws IOException {
        Matcher m = POM_URL.matcher(Files.readString(RepoPaths.resolve("pom.xml")));
        assertThat(m.find()).as("a GitHub <url> in pom.xml").isTrue();
        return m.group(1);
    }

    private static List<Rule> alerts(PrometheusRule rule) {
        return rule.getSpec().getGroups().stream()
                .flatMap(g -> g.getRules().stream())
                .filter(r -> r.getAlert() != null)
                .collect(Collectors.toList());
    }
}
