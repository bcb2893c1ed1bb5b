package dev.scalableapi.common.migration;

import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

/**
 * Flyway's migrate, safe for every replica of both services starting at once on a new database (a fresh
 * {@code helm install}). api-service and gateway-service migrate one schema with a history table each, so each finds
 * the other's tables and baselines its history first. Flyway decides to baseline before it takes its lock: a replica
 * can find the history table another one has just created, still empty, and fail with "Unable to baseline schema
 * history table … as it already exists, and is empty" (seen in system-tests' {@code FreshDatabaseStartIT}). Run
 * again once the other replica's baseline is in, migrate finds it and goes on under Flyway's lock.
 */
public final class ConvergingMigration {

    private static final Logger LOG = Logger.getLogger(ConvergingMigration.class);
    /** Far longer than a baseline takes: the replica that created the table writes its one row right after. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration RETRY_EVERY = Duration.ofMillis(200);

    private ConvergingMigration() {
    }

    public static MigrateResult migrate(Flyway flyway) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                return flyway.migrate();
            } catch (FlywayException e) {
                if (!foundAnotherReplicasBaseline(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.infof("Another replica is creating the schema history (%s); migrating again", e.getMessage()
                        .lines().findFirst().orElse(""));
                pause();
            }
        }
    }

    private static boolean foundAnotherReplicasBaseline(FlywayException e) {
        return e.getMessage() != null && e.getMessage().contains("as it already exists, and is empty");
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_EVERY.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for another replica's migration", interrupted);
        }
    }
}
