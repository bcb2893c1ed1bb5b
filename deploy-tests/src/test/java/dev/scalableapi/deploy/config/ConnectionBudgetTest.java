package dev.scalableapi.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pool sizes × replica maxima stay within PostgreSQL's max_connections minus a reserve, checked when the chart
 * renders: every gateway and api replica at its HPA maximum plus a rolling update's 25 % surge, each with its
 * reactive pool (POSTGRES_POOL_SIZE) and Flyway's JDBC pool.
 */
class ConnectionBudgetTest {

    @Test
    void theDefaultsAndTheProductionExampleFit() {
        // gateway (10 + 3) x (4 + 4) + api (12 + 3) x (6 + 4) = 254 <= 300 - 10
        Map<String, String> gateway = ChartMatchesServiceConfigTest.environment(Renders.chartDefaults(), "gateway");
        Map<String, String> api = ChartMatchesServiceConfigTest.environment(Renders.chartDefaults(), "api");
        assertEquals("4", gateway.get("POSTGRES_POOL_SIZE"));
        assertEquals("6", api.get("POSTGRES_POOL_SIZE"));
        // 20 + 5 gateways x 8 + 30 + 8 api pods x 10 = 580 <= 600 - 10 (it would not render otherwise)
        assertEquals(3, Renders.chartProduction().ofKind("Deployment").size());
    }

    @Test
    void theBundledPostgresqlTakesTheConnectionsTheBudgetCounts() {
        Map<String, Object> postgres = Manifest.containers(Manifest.podSpec(
                Renders.chartDefaults().get("StatefulSet", "scalable-api-postgresql")).orElseThrow()).get(0);
        assertEquals(List.of("postgres", "-c", "max_connections=300"), postgres.get("args"));
        Map<String, Object> raised = Manifest.containers(Manifest.podSpec(Manifest.of("raised", ChartUnderTest.render(null,
                Map.of("postgresql.maxConnections", "500"))).get("StatefulSet", "scalable-api-postgresql")).orElseThrow()).get(0);
        assertEquals(List.of("postgres", "-c", "max_connections=500"), raised.get("args"));
    }

    @Test
    void tooManyConnectionsFailTheRenderWithTheNumbersAndTheWayOut() {
        Exception failure = assertThrows(Exception.class, () -> ChartUnderTest.render(null,
                Map.of("api.autoscaling.maxReplicas", "30")));
        String message = failure.getMessage();
        for (String named : List.of("api (30 replicas + 8 surge) x (api.databasePoolSize 6 + Flyway 4) = 380",
                "gateway (10 replicas + 3 surge) x (gateway.databasePoolSize 4 + Flyway 4) = 104", "484 in all",
                "postgresql.maxConnections (300)", "connectionBudget.reserved (10)", "leaves 290",
                "Lower gateway.databasePoolSize / api.databasePoolSize or the autoscaling maxReplicas",
                "raise postgresql.maxConnections", "PgBouncer")) {
            assertTrue(message.contains(named), "message names \"" + named + "\": " + message);
        }
        // the edge: the defaults' 254 connections fit 300 - 46 exactly, not 300 - 47
        ChartUnderTest.render(null, Map.of("connectionBudget.reserved", "46"));
        assertThrows(Exception.class, () -> ChartUnderTest.render(null, Map.of("connectionBudget.reserved", "47")));
    }

    @Test
    void anExternalDatabaseIsCheckedAgainstTheMaxConnectionsTheOperatorStates() {
        Map<String, Object> external = Map.of("postgresql.enabled", "false", "externalDatabase.host", "db.example.internal");
        Exception failure = assertThrows(Exception.class, () -> ChartUnderTest.render(null, external));
        assertTrue(failure.getMessage().contains("externalDatabase.maxConnections (100)"), failure.getMessage());
        Map<String, Object> stated = new java.util.HashMap<>(external);
        stated.put("externalDatabase.maxConnections", "264");
        assertTrue(Manifest.of("stated", ChartUnderTest.render(null, stated)).find("StatefulSet", "scalable-api-postgresql").isEmpty());
    }

    @Test
    void withoutAutoscalingTheReplicaCountsAreCounted() {
        Exception failure = assertThrows(Exception.class, () -> ChartUnderTest.render(null, Map.of(
                "api.autoscaling.enabled", "false", "api.replicas", "40")));
        assertTrue(failure.getMessage().contains("api (40 replicas + 10 surge)"), failure.getMessage());
    }

    /** The budget's Flyway share is the services' JDBC pool: both must move together. */
    @Test
    void theBudgetCountsTheServicesJdbcPool() throws IOException {
        Matcher constant = Pattern.compile("define \"scalable-api.migrationPoolSize\" -}}(\\d+)\\{\\{")
                .matcher(Files.readString(Repo.chart().resolve("templates").resolve("_config.tpl")));
        assertTrue(constant.find(), "_config.tpl defines scalable-api.migrationPoolSize");
        for (String module : List.of("gateway-service", "api-service")) {
            assertEquals(constant.group(1), new ServiceConfig(module).property("quarkus.datasource.jdbc.max-size")
                    .orElseThrow(), module + "'s quarkus.datasource.jdbc.max-size");
        }
    }
}
