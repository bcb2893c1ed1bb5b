package dev.scalableapi.deploy.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Repo;
import dev.scalableapi.testsupport.PackagedJar;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule, a dashboard or an autoscaling trigger reads is one the services really export, and
 * exported by the service the query selects (its job): the three packaged services run here (prod profile, the
 * build's PostgreSQL and Redis, gateway → balancer → api), get a little traffic so that meters registered on first
 * use exist, and their {@code /q/metrics} (on each one's management port) is the list to check against.
 */
class MonitoringQueriesUseExportedMetricsIT {

    private static final Pattern JOB = Pattern.compile("\\bjob\\s*=~?\\s*\"([^\"]*)\"");
    private static final List<String> COMPONENTS = List.of("gateway", "balancer", "api");

    private static final List<PackagedJar> RUNNING = new ArrayList<>();
    private static final Map<String, Set<String>> EXPORTED = new HashMap<>();

    @BeforeAll
    static void runTheServicesAndScrapeThem() throws IOException {
        String namespace = "test:" + System.getenv().getOrDefault("TEST_NAMESPACE", "deploy") + ":deploy-"
                + UUID.randomUUID() + ":";
        Map<String, String> common = Map.of("IDENTITY_SIGNING_SECRET", "deploy-tests-" + UUID.randomUUID());

        Map<String, String> apiEnv = new HashMap<>(common);
        apiEnv.put("POSTGRES_DB", System.getenv().getOrDefault("POSTGRES_TEST_DB", "scalable_api_test"));
        apiEnv.put("API_CACHE_KEY_PREFIX", namespace + "resource:");
        apiEnv.put("API_CACHE_CHANNEL", namespace + "cache-invalidations");
        PackagedJar api = started("api-service", apiEnv);

        PackagedJar balancer = started("balancer-service", Map.of(
                "BALANCER_DISCOVERY", "static", "API_SERVERS", api.upstreamUrl()));

        Map<String, String> gatewayEnv = new HashMap<>(common);
        gatewayEnv.put("POSTGRES_DB", System.getenv().getOrDefault("GATEWAY_TEST_DB", "scalable_gateway_test"));
        gatewayEnv.put("BALANCER_URL", balancer.upstreamUrl());
        gatewayEnv.put("RATELIMIT_KEY_PREFIX", namespace);
        gatewayEnv.put("GATEWAY_KEYS_REDIS_PREFIX", namespace + "key:");
        gatewayEnv.put("GATEWAY_KEYS_REVOCATION_CHANNEL", namespace + "key-revocations");
        gatewayEnv.put("GATEWAY_BOOTSTRAP_ADMIN_EMAIL", "admin@deploy-tests.example");
        gatewayEnv.put("GATEWAY_BOOTSTRAP_ADMIN_PASSWORD", "deploy-tests-" + UUID.randomUUID());
        PackagedJar gateway = started("gateway-service", gatewayEnv);

        // Meters created on first use: HTTP server timers, rate-limit decisions, authentication failures.
        for (String path : List.of("/api/v1/status", "/api/v1/resources", "/api/v1/resources/1")) {
            assertTrue(gateway.get(path, Map.of()).statusCode() < 500, "GET " + path + " through the chain");
        }
        assertEquals(401, gateway.get("/api/v1/status", Map.of("X-API-Key", "sk_live_unknown")).statusCode());

        EXPORTED.put("api", scrape(api));
        EXPORTED.put("balancer", scrape(balancer));
        EXPORTED.put("gateway", scrape(gateway));
    }

    @AfterAll
    static void stop() {
        RUNNING.forEach(PackagedJar::stop);
    }

    @Test
    void everyQueriedMetricIsExportedByTheServiceItSelects() {
        List<String> missing = new ArrayList<>();
        List<MonitoringQueries.Query> queries = MonitoringQueries.all();
        for (MonitoringQueries.Query query : queries) {
            for (PromQl.Selector selector : PromQl.selectors(query.expression())) {
                Set<String> components = components(selector);
                Set<String> exportedBy = new TreeSet<>();
                EXPORTED.forEach((component, names) -> {
                    if (names.contains(selector.metric())) {
                        exportedBy.add(component);
                    }
                });
                boolean ok = components.isEmpty() ? !exportedBy.isEmpty() : exportedBy.containsAll(components);
                if (!ok) {
                    missing.add(query.source() + ": " + selector.metric() + " (selects "
                            + (components.isEmpty() ? "any service" : components) + ", exported by "
                            + (exportedBy.isEmpty() ? "none" : exportedBy) + ")");
                }
            }
        }
        assertTrue(queries.size() > 40, "queries checked: " + queries.size());
        assertTrue(missing.isEmpty(), "metrics not exported:\n" + String.join("\n", missing));
    }

    @Test
    void aMetricNobodyExportsIsCaught() {
        PromQl.Selector typo = PromQl.selectors("sum(rate(gateway_ratelimit_decision_total{job=~\"$gateway\"}[5m]))")
                .iterator().next();
        assertEquals(Set.of("gateway"), components(typo));
        assertTrue(!EXPORTED.get("gateway").contains(typo.metric()));
        PromQl.Selector wrongService = PromQl.selectors("api_cache_loads_total{job=\"scalable-api-gateway\"}")
                .iterator().next();
        assertTrue(!EXPORTED.get(components(wrongService).iterator().next()).contains(wrongService.metric()));
    }

    /** The services a selector's job matcher names: rendered ("scalable-api-gateway") or Grafana's "$gateway". */
    static Set<String> components(PromQl.Selector selector) {
        Set<String> components = new LinkedHashSet<>();
        Matcher job = JOB.matcher(selector.labelMatchers());
        while (job.find()) {
            for (String alternative : job.group(1).split("\\|")) {
                String name = alternative.replaceFirst("^\\$\\{?", "").replaceFirst("}$", "")
                        .replaceFirst("^scalable-api-", "");
                if (!COMPONENTS.contains(name)) {
                    throw new AssertionError("job matcher names no service: " + selector);
                }
                components.add(name);
            }
        }
        return components;
    }

    /** From its packaged jar in the prod profile, as it runs in a pod: configured by environment variables only. */
    private static PackagedJar started(String module, Map<String, String> env) {
        PackagedJar service = PackagedJar.of(Repo.path(module, "target", "quarkus-app", "quarkus-run.jar"), module)
                .log(Repo.target().resolve(module + ".log"))
                .portVariable("PORT")
                .env(env)
                .env("QUARKUS_HTTP_HOST", "127.0.0.1")
                .env("INSTANCE_ID", module + "-deploy-test")
                .env("LOG_JSON", "false")
                .env("SHUTDOWN_TIMEOUT", "2s")
                .start();
        RUNNING.add(service);
        service.awaitReady(Duration.ofSeconds(120));
        return service;
    }

    /** Metric names (series names, without labels) of a Prometheus text exposition. */
    private static Set<String> scrape(PackagedJar service) throws IOException {
        String body = service.getManagement("/q/metrics", Map.of()).body();
        Set<String> names = new TreeSet<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertTrue(names.size() > 50, service.url() + " exported only " + names);
        return names;
    }
}
