package dev.scalableapi.api.persistence;

import dev.scalableapi.common.migration.ConvergingMigration;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.flywaydb.core.Flyway;

/**
 * Migrates the resources tables before the replica starts serving, instead of Quarkus' {@code migrate-at-start},
 * which cannot survive replicas racing to baseline ({@link ConvergingMigration}).
 */
@ApplicationScoped
class SchemaMigration {

    void migrate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Flyway flyway) {
        ConvergingMigration.migrate(flyway);
    }
}
