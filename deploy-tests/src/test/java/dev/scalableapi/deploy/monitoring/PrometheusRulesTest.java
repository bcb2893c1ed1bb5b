package dev.scalableapi.deploy.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Processes;
import dev.scalableapi.deploy.support.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule's rules pass {@code promtool check rules}; every dashboard and autoscaling query is valid PromQL
 * too (checked as recording rules); and the alerts fire, and stay quiet, on the series they are written for
 * ({@code promtool test rules}).
 */
class PrometheusRulesTest {

    private static final String GATEWAY = "namespace=\"scalable-api\",job=\"scalable-api-gateway\"";
    private static final String BALANCER = "namespace=\"scalable-api\",job=\"scalable-api-balancer\"";
    private static final String API = "namespace=\"scalable-api\",job=\"scalable-api-api\"";

    @Test
    void promtoolAcceptsTheAlertRules() {
        Processes.Result check = Promtool.checkRules(ruleFile(true));
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        assertTrue(check.stdout().contains("SUCCESS: " + MonitoringQueries.alertRules().size() + " rules found"),
                check.stdout());
    }

    @Test
    void everyDashboardAndAutoscalingQueryIsValidPromQl() {
        List<MonitoringQueries.Query> queries = new ArrayList<>(MonitoringQueries.dashboards());
        queries.addAll(MonitoringQueries.autoscaling());
        assertTrue(queries.size() > 30, "queries found: " + queries.size());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (MonitoringQueries.Query query : queries) {
            rules.add(Map.of("record", "scalable_api:query_" + rules.size(), "expr", asPlainPromQl(query.expression())));
        }
        Processes.Result check = Promtool.checkRules(Map.of("groups", List.of(Map.of("name", "queries", "rules", rules))));
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
    }

    @Test
    void promtoolRejectsInvalidPromQl() {
        Map<String, Object> broken = Map.of("groups", List.of(Map.of("name", "broken", "rules",
                List.of(Map.of("alert", "Broken", "expr", "sum(rate(http_server_requests_seconds_count[5m])")))));
        assertNotEquals(0, Promtool.checkRules(broken).exitCode());
    }

    @Test
    void alertsCoverTheFailuresTheIssueNames() {
        Map<String, Set<String>> metricsByAlert = new LinkedHashMap<>();
        MonitoringQueries.alertRules().forEach(q -> metricsByAlert.put(q.source(), PromQl.metricNames(q.expression())));
        Set<String> used = new TreeSet<>();
        metricsByAlert.values().forEach(used::addAll);
        assertTrue(used.containsAll(Set.of(
                "http_server_requests_seconds_count",   // error rate
                "http_server_requests_seconds_bucket",  // p99 latency
                "api_circuit_breaker_state",            // breaker open
                "api_circuit_breaker_transitions_total", // breaker flapping
                "balancer_backend_ejected",             // backends ejected
                "gateway_ratelimit_fallback_active",    // rate-limit fallback mode
                "gateway_requestlog_dropped_total",     // request-log drops
                "balancer_backend_healthy")),           // api pods not ready
                metricsByAlert.toString());
    }

    /** Each alert on series that should fire it, and on series that should not. */
    @Test
    void alertsFireOnTheSeriesTheyAreWrittenFor() {
        List<Map<String, Object>> tests = List.of(
                test("10% of the gateway's answers are 5xx, then 1%",
                        List.of(series("http_server_requests_seconds_count{" + GATEWAY + ",status=\"200\"}", "0+90x30"),
                                series("http_server_requests_seconds_count{" + GATEWAY + ",status=\"503\"}", "0+10x10 100+1x20")),
                        alert("ScalableApiHighErrorRate", "9m", Map.of("severity", "critical")),
                        quiet("ScalableApiHighErrorRate", "29m")),
                test("every request takes between 0.5 and 1 s",
                        List.of(series("http_server_requests_seconds_bucket{" + GATEWAY + ",le=\"0.5\"}", "0x30"),
                                series("http_server_requests_seconds_bucket{" + GATEWAY + ",le=\"1.0\"}", "0+100x30"),
                                series("http_server_requests_seconds_bucket{" + GATEWAY + ",le=\"+Inf\"}", "0+100x30")),
                        alert("ScalableApiHighLatencyP99", "16m", Map.of("severity", "warning")),
                        quiet("ScalableApiHighLatencyP99", "8m")),
                test("a breaker opens; another goes open, half-open, open, ...; a third stays closed",
                        List.of(series("api_circuit_breaker_state{" + API + ",pod=\"api-0\",name=\"external\"}", "1x10"),
                                series("api_circuit_breaker_state{" + API + ",pod=\"api-1\",name=\"external\"}", "1 2 1 2 1 2 1 2 1 2 1"),
                                series("api_circuit_breaker_state{" + API + ",pod=\"api-2\",name=\"external\"}", "0x10")),
                        alert("ScalableApiCircuitBreakerOpen", "5m",
                                Map.of("severity", "warning", "pod", "api-0", "name", "external"),
                                Map.of("severity", "warning", "pod", "api-1", "name", "external"))),
                test("a breaker flaps open and closed (scraped closed at every other sample); another opened once",
                        List.of(series("api_circuit_breaker_state{" + API + ",pod=\"api-0\",name=\"redis-cache\"}", "0 1 0 1 0 1 0 1 0 1 0"),
                                series("api_circuit_breaker_transitions_total{" + API + ",pod=\"api-0\",name=\"redis-cache\",to=\"open\"}", "0+1x10"),
                                series("api_circuit_breaker_transitions_total{" + API + ",pod=\"api-0\",name=\"redis-cache\",to=\"half_open\"}", "0+1x10"),
                                series("api_circuit_breaker_transitions_total{" + API + ",pod=\"api-0\",name=\"redis-cache\",to=\"closed\"}", "0+1x10"),
                                series("api_circuit_breaker_transitions_total{" + API + ",pod=\"api-1\",name=\"redis-cache\",to=\"open\"}", "0 1x10"),
                                series("api_circuit_breaker_transitions_total{" + API + ",pod=\"api-1\",name=\"redis-cache\",to=\"half_open\"}", "0 0 1x9"),
                                series("api_circuit_breaker_transitions_total{" + API + ",pod=\"api-1\",name=\"redis-cache\",to=\"closed\"}", "0 0 1x9")),
                        quiet("ScalableApiCircuitBreakerOpen", "10m"),
                        quiet("ScalableApiCircuitBreakerFlapping", "1m"),
                        alert("ScalableApiCircuitBreakerFlapping", "4m",
                                Map.of("severity", "warning", "pod", "api-0", "name", "redis-cache"))),
                test("a backend is ejected",
                        List.of(series("balancer_backend_ejected{" + BALANCER + ",pod=\"lb-0\",backend=\"10.0.0.7:3001\"}", "0 1x10")),
                        alert("ScalableApiBackendsEjected", "5m", Map.of("severity", "warning", "backend", "10.0.0.7:3001")),
                        quiet("ScalableApiBackendsEjected", "1m")),
                test("the limiter's Redis breaker opens",
                        List.of(series("gateway_ratelimit_fallback_active{" + GATEWAY + ",pod=\"gw-0\"}", "0 0 1x10")),
                        alert("ScalableApiRateLimitFallbackActive", "5m", Map.of("severity", "critical", "pod", "gw-0")),
                        quiet("ScalableApiRateLimitFallbackActive", "2m")),
                test("the request log drops records",
                        List.of(series("gateway_requestlog_dropped_total{" + GATEWAY + ",pod=\"gw-0\",reason=\"queue_full\"}", "0x5 0+50x10"),
                                series("gateway_requestlog_dropped_total{" + GATEWAY + ",pod=\"gw-0\",reason=\"write_failed\"}", "0x15")),
                        alert("ScalableApiRequestLogDrops", "10m",
                                Map.of("severity", "warning", "pod", "gw-0", "reason", "queue_full")),
                        quiet("ScalableApiRequestLogDrops", "4m")),
                test("an api pod fails readiness in both balancers' eyes; another only in one's",
                        List.of(series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-0\",backend=\"a\"}", "0x10"),
                                series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-1\",backend=\"a\"}", "0x10"),
                                series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-0\",backend=\"b\"}", "1x10"),
                                series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-1\",backend=\"b\"}", "0x10"),
                                series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-0\",backend=\"c\"}", "1x10"),
                                series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-1\",backend=\"c\"}", "1x10")),
                        alert("ScalableApiPodsNotReady", "6m", Map.of("severity", "warning", "backend", "a")),
                        quiet("ScalableApiNoReadyBackends", "6m")),
                test("a balancer has no ready backend left",
                        List.of(series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-0\",backend=\"a\"}", "1 0x10"),
                                series("balancer_backend_healthy{" + BALANCER + ",pod=\"lb-0\",backend=\"b\"}", "0x10")),
                        alert("ScalableApiNoReadyBackends", "4m", Map.of("severity", "critical", "pod", "lb-0"))));
        Processes.Result result = Promtool.testRules(Map.of("evaluation_interval", "1m", "tests", tests), ruleFile(false));
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
    }

    /** Grafana's variables replaced by values, so promtool sees the PromQL Prometheus will run. */
    static String asPlainPromQl(String expression) {
        return expression.replace("$__rate_interval", "5m").replaceAll("\\$\\{?(\\w+)}?", "$1");
    }

    /** The PrometheusRule's spec as a rule file; without annotations for unit tests (their templates need values). */
    private static Map<String, Object> ruleFile(boolean withAnnotations) {
        Map<String, Object> spec = Yaml.deepCopy(Manifest.map(MonitoringQueries.prometheusRule(), "spec"));
        if (!withAnnotations) {
            Manifest.list(spec.get("groups")).forEach(g -> Manifest.list(g.get("rules")).forEach(r -> r.remove("annotations")));
        }
        return spec;
    }

    private static Map<String, Object> series(String selector, String values) {
        return Map.of("series", selector, "values", values);
    }

    @SafeVarargs
    private static Map<String, Object> alert(String name, String at, Map<String, String>... labels) {
        return Map.of("eval_time", at, "alertname", name, "exp_alerts",
                java.util.Arrays.stream(labels).map(l -> Map.of("exp_labels", l)).toList());
    }

    private static Map<String, Object> quiet(String name, String at) {
        return Map.of("eval_time", at, "alertname", name, "exp_alerts", List.of());
    }

    @SafeVarargs
    private static Map<String, Object> test(String name, List<Map<String, Object>> series, Map<String, Object>... checks) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", name);
        test.put("interval", "1m");
        test.put("input_series", series);
        test.put("alert_rule_test", List.of(checks));
        return test;
    }
}
