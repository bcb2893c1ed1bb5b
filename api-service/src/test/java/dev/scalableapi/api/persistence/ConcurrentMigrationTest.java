package dev.scalableapi.api.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replicas starting together run Flyway at the same moment: the schema must be migrated and seeded once. */
class ConcurrentMigrationTest {

    private static final int REPLICAS = 3;
    private static final String USER = System.getenv().getOrDefault("POSTGRES_USER", "scalable");
    private static final String PASSWORD = System.getenv().getOrDefault("POSTGRES_PASSWORD", "scalable");

    private final String schema = "migr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    private static String jdbcUrl() {
        return "jdbc:postgresql://" + System.getenv().getOrDefault("POSTGRES_HOST", "localhost") + ":"
                + System.getenv().getOrDefault("POSTGRES_PORT", "5432") + "/"
                + System.getenv().getOrDefault("POSTGRES_TEST_DB", "scalable_api_test");
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(jdbcUrl(), USER, PASSWORD)
                .schemas(schema)
                .locations("classpath:db/migration", "classpath:db/seed")
                .table("api_schema_history")
                .placeholders(Map.of("dev_seed", "true"))
                .load();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        }
    }

    private long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void threeReplicasMigratingTogetherApplyEachMigrationAndTheSeedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(REPLICAS);
        List<MigrateResult> results = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MigrateResult>> futures = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                Flyway flyway = flyway();
                futures.add(pool.submit(() -> {
                    start.await();
                    return flyway.migrate();
                }));
            }
            start.countDown();
            for (Future<MigrateResult> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        for (MigrateResult result : results) {
            assertTrue(result.success, "a replica's migrate failed: " + result.warnings);
        }
        int applied = results.stream().mapToInt(r -> r.migrationsExecuted).sum();

        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                Statement s = c.createStatement()) {
            long versioned = count(s, "select count(*) from " + schema
                    + ".api_schema_history where version is not null and success");
            long distinctVersions = count(s, "select count(distinct version) from " + schema
                    + ".api_schema_history where version is not null");
            long failed = count(s, "select count(*) from " + schema + ".api_schema_history where not success");
            assertTrue(versioned >= 1, "no versioned migration recorded");
            assertEquals(distinctVersions, versioned, "a versioned migration was applied more than once");
            assertEquals(0, failed);
            assertEquals(versioned, applied, "migrations executed across the replicas");

            assertEquals(5, count(s, "select count(*) from " + schema + ".resources"));
            assertEquals(0, count(s, "select count(*) from " + schema + ".resources where owner_id is null"));
        }

        // A later restart changes nothing either.
        MigrateResult again = flyway().migrate();
        assertEquals(0, again.migrationsExecuted);
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                Statement s = c.createStatement()) {
            assertEquals(5, count(s, "select count(*) from " + schema + ".resources"));
        }
    }
}
