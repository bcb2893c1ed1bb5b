package dev.scalableapi.systemtests.startup;

import static dev.scalableapi.systemtests.support.SystemStack.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.testsupport.PackagedJar;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A fresh install: three api replicas and two gateways (and a balancer in front of the replicas) launched at the same
 * moment on an empty database, as {@code helm install} starts them. Both services migrate the same schema, each with
 * its own Flyway history table and lock, so they race: every one of them must come up, each history must hold each
 * migration once and no failure, and the bootstrap admin must exist once.
 */
class FreshDatabaseStartIT {

    private static final Duration START_DEADLINE = Duration.ofMinutes(3);
    private static final String ADMIN_EMAIL = "fresh-start-admin@test.invalid";
    private static final String USER = env("POSTGRES_USER", "scalable");
    private static final String PASSWORD = env("POSTGRES_PASSWORD", "scalable");
    private static final String DATABASE = env("FRESH_START_DB", "scalable_fresh_start");

    @Test
    void threeReplicasAndTwoGatewaysStartedTogetherOnAnEmptyDatabaseAllComeUp() throws Exception {
        emptyTheDatabase();
        Path root = Path.of(System.getProperty("scalable.root", "..")).toAbsolutePath().normalize();
        String namespace = env("TEST_NAMESPACE", "test") + ":fresh-start:"
                + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        List<PackagedJar> started = new ArrayList<>();
        try {
            List<String> replicas = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                PackagedJar api = launch(root, "api-service", "fresh-api-" + i, Map.of(
                        "POSTGRES_DB", DATABASE,
                        "IDENTITY_SIGNING_SECRET", secret,
                        "INSTANCE_ID", "fresh-api-" + i,
                        "API_CACHE_KEY_PREFIX", namespace + ":resource:",
                        "API_CACHE_CHANNEL", namespace + ":cache-invalidations",
                        "FLEET_KEY_PREFIX", namespace + ":fleet:"));
                started.add(api);
                replicas.add(api.upstreamUrl());
            }
            PackagedJar balancer = launch(root, "balancer-service", "fresh-balancer",
                    Map.of("API_SERVERS", String.join(",", replicas)));
            started.add(balancer);
            for (int i = 1; i <= 2; i++) {
                Map<String, String> gateway = new HashMap<>();
                gateway.put("POSTGRES_DB", DATABASE);
                gateway.put("IDENTITY_SIGNING_SECRET", secret);
                gateway.put("INSTANCE_ID", "fresh-gateway-" + i);
                gateway.put("BALANCER_URL", balancer.upstreamUrl());
                gateway.put("RATELIMIT_KEY_PREFIX", namespace + ":rl:");
                gateway.put("GATEWAY_KEYS_REDIS_PREFIX", namespace + ":key:");
                gateway.put("GATEWAY_KEYS_REVOCATION_CHANNEL", namespace + ":key-revocations");
                gateway.put("ACCOUNTS_REDIS_PREFIX", namespace + ":accounts:");
                gateway.put("ADMIN_SESSION_REDIS_PREFIX", namespace + ":session:");
                gateway.put("FLEET_KEY_PREFIX", namespace + ":fleet:");
                gateway.put("GATEWAY_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL);
                gateway.put("GATEWAY_BOOTSTRAP_ADMIN_PASSWORD", "fresh-start-admin-password-0123");
                started.add(launch(root, "gateway-service", "fresh-gateway-" + i, gateway));
            }

            for (PackagedJar service : started) {
                service.awaitReady(START_DEADLINE);
            }
            for (PackagedJar service : started) {
                assertTrue(service.alive(), service.name() + " exited after it was ready:\n" + service.log());
            }
        } finally {
            started.forEach(PackagedJar::stop);
        }

        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String history : List.of("api_schema_history", "gateway_schema_history")) {
                String versions = " from " + history + " where version is not null";
                long versioned = count(s, "select count(*)" + versions + " and success");
                long distinct = count(s, "select count(distinct version)" + versions);
                assertTrue(versioned >= 2, history + ": no migration recorded beyond the baseline");
                assertEquals(distinct, versioned, history + ": a migration was applied more than once");
                assertEquals(0, count(s, "select count(*) from " + history + " where not success"), history);
            }
            assertEquals(1, count(s, "select count(*) from users where email = '" + ADMIN_EMAIL + "'"));
        }
    }

    /** The database stays (the test user may not create databases); everything in it goes. */
    private static void emptyTheDatabase() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists public cascade");
            s.execute("create schema public");
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + env("POSTGRES_HOST", "localhost") + ":"
                + env("POSTGRES_PORT", "5432") + "/" + DATABASE, USER, PASSWORD);
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
