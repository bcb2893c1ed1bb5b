package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalableapi.deploy.monitoring.MonitoringQueries;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana dashboards reach the Grafana sidecar (label grafana_dashboard: "1") as valid JSON. */
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
    void overviewShowsReplicasBreakersAndPostgresqlAndRedisHealth() {
        Map<String, String> queriesByPanel = new java.util.LinkedHashMap<>();
        for (JsonNode panel : MonitoringQueries.dashboardJson().get("scalable-api-overview.json").path("panels")) {
            queriesByPanel.put(panel.path("title").asText(), panel.path("targets").toString());
        }
        Map<String, java.util.List<String>> wanted = Map.of(
                "Replicas scraped, by service", java.util.List.of("count by (job) (process_cpu_usage"),
                "Circuit breakers (api-service): state", java.util.List.of("api_circuit_breaker_state"),
                "Circuit breaker transitions (15 min)", java.util.List.of("api_circuit_breaker_transitions_total"),
                "Balancer per-backend breakers", java.util.List.of("balancer_backend_ejected", "balancer_backend_ejections_total"),
                "PostgreSQL health (as the services see it)", java.util.List.of("api_database_reachable",
                        "reason=\\\"write_failed\\\"", "gateway_requestlog_batch_seconds_sum"),
                "Redis health (as the services see it)", java.util.List.of("gateway_ratelimit_fallback_active",
                        "gateway_ratelimit_redis_errors_total", "api_cache_l2_errors_total", "name=\\\"redis-cache\\\""));
        wanted.forEach((title, shown) -> {
            assertTrue(queriesByPanel.containsKey(title), "overview has a panel \"" + title + "\": " + queriesByPanel.keySet());
            shown.forEach(query -> assertTrue(queriesByPanel.get(title).contains(query),
                    title + " shows " + query + ": " + queriesByPanel.get(title)));
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
