package dev.scalableapi.common.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

/**
 * Flyway's migrate, safe for every replica of both services starting at once on a new database (a fresh
 * {@code helm install}). api-service and gateway-service migrate one schema with a history table each, so each finds
 * the other's tables and baselines its history first. Flyway decides to baseline before it takes its lock: a replica
 * can find the history table another one has just created, still empty, and fail with "Unable to baseline schema
 * history table … as it already exists, and is empty" (seen in system-tests' {@code FreshDatabaseStartIT}). Such a
 * replica waits until the other one's baseline row is in (migrating earlier would apply the migrations without it,
 * and the other replica's baseline would then collide with them), then migrates again, under Flyway's lock.
 */
public final class ConvergingMigration {

    private static final Logger LOG = Logger.getLogger(ConvergingMigration.class);
    /** Far longer than a baseline takes: the replica that created the table writes its one row right after. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL_EVERY = Duration.ofMillis(100);

    private ConvergingMigration() {
    }

    public static MigrateResult migrate(Flyway flyway) {
        try {
            return flyway.migrate();
        } catch (FlywayException e) {
            if (e.getMessage() == null || !e.getMessage().contains("as it already exists, and is empty")) {
                throw e;
            }
            LOG.infof("Another replica is creating the schema history %s; migrating once its baseline is in",
                    historyTable(flyway.getConfiguration()));
            awaitBaseline(flyway.getConfiguration(), e);
            return flyway.migrate();
        }
    }

    private static void awaitBaseline(Configuration configuration, FlywayException race) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String probe = "select exists (select 1 from " + historyTable(configuration) + ")";
        while (System.nanoTime() < deadline) {
            try (Connection connection = configuration.getDataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(probe)) {
                if (rows.next() && rows.getBoolean(1)) {
                    return;
                }
            } catch (SQLException e) {
                race.addSuppressed(e);
                throw race;
            }
            try {
                Thread.sleep(POLL_EVERY.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw race;
            }
        }
        throw race; // the replica that created the table never wrote its baseline
    }

    private static String historyTable(Configuration configuration) {
        String schema = configuration.getDefaultSchema() != null ? configuration.getDefaultSchema()
                : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : null;
        String table = '"' + configuration.getTable() + '"';
        return schema == null ? table : '"' + schema + "\"." + table;
    }
}
