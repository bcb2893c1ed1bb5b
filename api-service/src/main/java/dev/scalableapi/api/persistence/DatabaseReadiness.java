package dev.scalableapi.api.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means "can serve": without PostgreSQL the replica still answers cached reads, and fails the rest at once,
 * as every other replica would, so it stays in rotation and reports itself degraded. Taking every replica out
 * of rotation for a database outage turned a partial outage into a total one.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private final DatabaseAvailability database;

    DatabaseReadiness(DatabaseAvailability database) {
        this.database = database;
    }

    @Override
    public HealthCheckResponse call() {
        boolean reachable = database.reachable();
        return HealthCheckResponse.named("database").up()
                .withData("postgresql", reachable ? "reachable" : "unreachable")
                .withData("degraded", !reachable)
                .build();
    }
}
