package dev.scalableapi.api.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.common.migration.ConvergingMigration;
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
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas starting together run Flyway at the same moment: the schema must be migrated and seeded once, also when
 * the other service's tables are there already and every replica has to baseline first.
 */
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

    /** As in production: the gateway's tables may be there first, so the history starts with a baseline at 0. */
    private Flyway baselining() {
        return Flyway.configure().configuration(flyway().getConfiguration())
                .placeholders(Map.of("dev_seed", "false"))
                .baselineOnMigrate(true)
                .baselineVersion("0")
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

    /**
     * Flyway decides to baseline before it takes its lock. So when every replica finds the other service's tables,
     * one may create the history table while another, already decided, goes on to baseline and finds it there but
     * still empty: "… as it already exists, and is empty" (FreshDatabaseStartIT, once in many runs). Here that
     * moment is made certain: as this replica starts to baseline, the "other replica" creates the history table and
     * writes its baseline row a second later. {@link ConvergingMigration} waits for that row and migrates then (had
     * it migrated at once, the other replica's row would collide with its migrations); plain {@code migrate} fails.
     */
    @Test
    void aReplicaThatFindsTheHistoryAnotherJustCreatedMigratesOnceThatOneHasBaselined() throws Exception {
        String other = schema + "_other";
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
            s.execute("create table " + schema + ".gateway_table_stand_in (id int)"); // the other service's
            s.execute("create schema " + other);
            s.execute("create table " + other + ".gateway_table_stand_in (id int)");
        }
        // what the other replica writes: its history table with its baseline row
        Flyway.configure().dataSource(jdbcUrl(), USER, PASSWORD).schemas(other).table("api_schema_history")
                .baselineVersion("0").load().baseline();
        ExecutorService otherReplica = Executors.newSingleThreadExecutor();
        List<Future<Void>> otherBaseline = new ArrayList<>();
        try {
            Callback otherReplicaCreatesTheTable = new BeforeBaseline(() -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                        Statement s = c.createStatement()) {
                    s.execute("create table " + schema + ".api_schema_history (like " + other
                            + ".api_schema_history including all)");
                }
                otherBaseline.add(otherReplica.submit(() -> {
                    TimeUnit.SECONDS.sleep(1); // the other replica's baseline row, a moment later
                    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                            Statement s = c.createStatement()) {
                        s.execute("insert into " + schema + ".api_schema_history select * from " + other
                                + ".api_schema_history");
                    }
                    return null;
                }));
            });
            MigrateResult result = ConvergingMigration.migrate(Flyway.configure().configuration(baselining()
                    .getConfiguration()).callbacks(otherReplicaCreatesTheTable).load());
            assertTrue(result.success);
            assertTrue(result.migrationsExecuted >= 1, "nothing migrated");
            otherBaseline.get(0).get(10, TimeUnit.SECONDS); // the other replica's baseline went in whole
        } finally {
            otherReplica.shutdownNow();
            try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                    Statement s = c.createStatement()) {
                s.execute("drop schema if exists " + other + " cascade");
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                Statement s = c.createStatement()) {
            String history = schema + ".api_schema_history";
            assertEquals(1, count(s, "select count(*) from " + history + " where type = 'BASELINE'"));
            assertEquals(0, count(s, "select count(*) from " + history + " where not success"));
            assertEquals(0, count(s, "select count(*) from " + schema + ".resources"));
        }
    }

    /** Runs {@code action} once, when Flyway is about to baseline. */
    private record BeforeBaseline(SqlAction action) implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_BASELINE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            try {
                action.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String getCallbackName() {
            return "other-replica";
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws Exception;
    }
}
