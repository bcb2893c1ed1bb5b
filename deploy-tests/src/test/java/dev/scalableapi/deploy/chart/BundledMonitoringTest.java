package dev.scalableapi.deploy.chart;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the bundled kube-prometheus-stack, its Prometheus (release label = this release, in this namespace) must
 * find, scrape and be queried for the platform. Only this chart's own templates are checked here.
 */
class BundledMonitoringTest {

    @Test
    void theBundledPrometheusSelectsScrapesAndServesThePlatform() {
        Manifest manifest = Manifest.of("bundled", ChartUnderTest.render(null, Map.of(
                "kube-prometheus-stack.enabled", "true", "api.autoscaling.mode", "keda")));
        assertEquals(3, manifest.ofKind("ServiceMonitor").size());
        for (Map<String, Object> monitor : manifest.ofKind("ServiceMonitor")) {
            assertEquals(ChartUnderTest.RELEASE, Manifest.labels(monitor).get("release"));
        }
        assertEquals(ChartUnderTest.RELEASE, Manifest.labels(manifest.ofKind("PrometheusRule").get(0)).get("release"));
        Map<String, Object> apiPolicy = manifest.get("NetworkPolicy", "scalable-api-api");
        boolean sameNamespacePrometheus = Manifest.list(at(apiPolicy, "spec.ingress")).stream()
                .filter(rule -> Manifest.list(rule.get("ports")).stream().anyMatch(p -> "management".equals(p.get("port"))))
                .flatMap(rule -> Manifest.list(rule.get("from")).stream())
                .anyMatch(peer -> !peer.containsKey("namespaceSelector")
                        && "prometheus".equals(Manifest.stringMap(at(peer, "podSelector.matchLabels")).get("app.kubernetes.io/name")));
        assertTrue(sameNamespacePrometheus, "Prometheus in the release namespace may scrape api pods' management port");
        Map<String, Object> trigger = Manifest.list(at(manifest.get("ScaledObject", "scalable-api-api"), "spec.triggers")).get(0);
        assertEquals("http://prometheus-operated." + ChartUnderTest.NAMESPACE + ".svc:9090",
                at(trigger, "metadata.serverAddress"));
    }
}
