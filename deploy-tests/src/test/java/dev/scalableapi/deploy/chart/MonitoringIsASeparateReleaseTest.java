package dev.scalableapi.deploy.chart;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import dev.scalableapi.deploy.support.Repo;
import dev.scalableapi.deploy.support.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A default install from the repository downloads nothing: the chart declares no dependencies (Helm refuses to
 * install or template a chart whose declared dependencies are missing from charts/, even disabled ones, so an
 * optional kube-prometheus-stack dependency forced --dependency-update, a network fetch, on every install).
 * kube-prometheus-stack runs as a release of its own, and the defaults of monitoring.* and keda.* find it when it
 * is installed as the chart's README says (release kube-prometheus-stack, namespace monitoring).
 */
class MonitoringIsASeparateReleaseTest {

    @Test
    @SuppressWarnings("unchecked")
    void theChartDeclaresNoDependenciesAndRendersWithoutACharts() throws IOException {
        Map<String, Object> chart = Yaml.MAPPER.readValue(Repo.chart().resolve("Chart.yaml").toFile(), Map.class);
        assertNull(chart.get("dependencies"), "Chart.yaml declares dependencies: " + chart.get("dependencies"));
        assertFalse(Files.exists(ChartUnderTest.dir().resolve("charts")), "the rendered copy has no charts/");
        assertFalse(Renders.chartDefaults().objects().isEmpty());
        Map<String, Object> values = Yaml.MAPPER.readValue(Repo.chart().resolve("values.yaml").toFile(), Map.class);
        assertFalse(values.containsKey("kube-prometheus-stack"), "no values for a dependency that is gone");
    }

    @Test
    void theDefaultsFindAKubePrometheusStackReleaseInNamespaceMonitoring() {
        Manifest manifest = Manifest.of("operator", ChartUnderTest.render(null, Map.of(
                "monitoring.prometheusOperator", "true", "api.autoscaling.mode", "keda")));
        assertEquals(3, manifest.ofKind("ServiceMonitor").size());
        for (Map<String, Object> monitor : manifest.ofKind("ServiceMonitor")) {
            assertEquals("kube-prometheus-stack", Manifest.labels(monitor).get("release"));
        }
        assertEquals("kube-prometheus-stack", Manifest.labels(manifest.ofKind("PrometheusRule").get(0)).get("release"));
        Map<String, Object> trigger = Manifest.list(at(manifest.get("ScaledObject", "scalable-api-api"), "spec.triggers")).get(0);
        assertEquals("http://prometheus-operated.monitoring.svc:9090", at(trigger, "metadata.serverAddress"));
        Map<String, Object> apiPolicy = manifest.get("NetworkPolicy", "scalable-api-api");
        boolean monitoringNamespace = Manifest.list(at(apiPolicy, "spec.ingress")).stream()
                .filter(rule -> Manifest.list(rule.get("ports")).stream().anyMatch(p -> "management".equals(p.get("port"))))
                .flatMap(rule -> Manifest.list(rule.get("from")).stream())
                .anyMatch(peer -> "monitoring".equals(Manifest.stringMap(at(peer, "namespaceSelector.matchLabels"))
                        .get("kubernetes.io/metadata.name")));
        assertTrue(monitoringNamespace, "Prometheus in namespace monitoring may scrape api pods' management port");
    }
}
