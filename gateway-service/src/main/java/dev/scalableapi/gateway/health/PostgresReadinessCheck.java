package dev.scalableapi.gateway.health;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports PostgreSQL in readiness without ever making the gateway unready for it: known keys authenticate from
 * the key cache, the rate limiter lives in Redis, and request-log rows wait in their bounded queue (dropped and
 * counted once it is full), so the gateway keeps serving in degraded mode. Quarkus' own datasource check, which
 * took every gateway out of its Service during a database outage, is off.
 */
@Readiness
@ApplicationScoped
public class PostgresReadinessCheck implements io.smallrye.health.api.AsyncHealthCheck {

    private final Pool pool;

    PostgresReadinessCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("select 1").execute()
                .ifNoItem().after(Duration.ofMillis(500)).fail()
                .map(rows -> HealthCheckResponse.named("postgresql").up().withData("reachable", true).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("postgresql").up()
                        .withData("reachable", false)
                        .withData("degraded", true)
                        .build());
    }
}
