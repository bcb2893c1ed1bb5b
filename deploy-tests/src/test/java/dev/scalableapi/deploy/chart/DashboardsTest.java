package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalableapi.deploy.monitoring.MonitoringQueries;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana dashboards reach the kube-prometheus-stack sidecar (label grafana_dashboard: "1") as valid JSON. */
class DashboardsTest {

    @Test
    void overviewRateLimitingAndBalancerDashboardsAreShipped() {
        Map<String, JsonNode> dashboards = MonitoringQueries.dashboardJson();
        assertEquals(Set.of("scalable-api-overview.json", "scalable-api-rate-limiting.json", "scalable-api-balancer.json"),
                dashboards.keySet());
        Set<String> uids = new HashSet<>();
        dashboards.forEach((name, dashboard) -> {
            assertTrue(uids.add(dashboard.path("uid").asText()), name + " has a unique uid");
            assertTrue(dashboard.path("panels").size() >= 6, name + " has panels");
            assertEquals("datasource", dashboard.path("templating").path("list").get(0).path("type").asText(),
                    name + " lets the user pick the Prometheus data source");
            for (JsonNode panel : dashboard.path("panels")) {
                assertTrue(panel.path("targets").size() > 0, name + ": " + panel.path("title") + " queries something");
            }
        });
    }

    @Test
    void overviewShowsTrafficErrorsLatencyAndSaturation() {
        String overview = MonitoringQueries.dashboardJson().get("scalable-api-overview.json").toString();
        for (String shown : new String[] {"http_server_requests_seconds_count", "status=~\\\"5..\\\"",
                "histogram_quantile(0.99", "gateway_shedding_in_flight", "process_cpu_usage"}) {
            assertTrue(overview.contains(shown), "overview shows " + shown);
        }
    }
}
