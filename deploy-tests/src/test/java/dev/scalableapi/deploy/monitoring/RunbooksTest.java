package dev.scalableapi.deploy.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every alert links its runbook, and the runbook is in the chart's docs/runbooks/. */
class RunbooksTest {

    private static final Path RUNBOOKS = Repo.chart().resolve("docs").resolve("runbooks");

    @Test
    void everyAlertHasARunbookUrlToItsRunbookInTheChart() throws IOException {
        String index = Files.readString(RUNBOOKS.resolve("README.md"));
        List<String> alerts = new ArrayList<>();
        for (Map<String, Object> rule : rules(Renders.chartProduction())) {
            String alert = String.valueOf(rule.get("alert"));
            alerts.add(alert);
            String url = Manifest.stringMap(rule.get("annotations")).get("runbook_url");
            assertEquals("https://git.example.com/acme/scalable-api/-/blob/main/helm/scalable-api/docs/runbooks/"
                    + alert + ".md", url, alert);
            Path runbook = RUNBOOKS.resolve(alert + ".md");
            assertTrue(Files.exists(runbook), "no runbook " + runbook);
            assertTrue(Files.readString(runbook).startsWith("# " + alert + "\n"), runbook + " is titled " + alert);
            assertTrue(index.contains("(" + alert + ".md)"), "docs/runbooks/README.md lists " + alert);
        }
        assertTrue(alerts.size() >= 9, "alerts: " + alerts);
    }

    @Test
    void theBaseUrlIsAValue() {
        Manifest manifest = Manifest.of("runbooks", ChartUnderTest.render(null, Map.of(
                "monitoring.prometheusOperator", "true", "monitoring.rules.runbookBaseUrl", "https://wiki.example.org/rb/")));
        for (Map<String, Object> rule : rules(manifest)) {
            assertEquals("https://wiki.example.org/rb/" + rule.get("alert") + ".md",
                    Manifest.stringMap(rule.get("annotations")).get("runbook_url"));
        }
    }

    private static List<Map<String, Object>> rules(Manifest manifest) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : Manifest.list(Manifest.at(manifest.ofKind("PrometheusRule").get(0), "spec.groups"))) {
            rules.addAll(Manifest.list(group.get("rules")));
        }
        return rules;
    }
}
