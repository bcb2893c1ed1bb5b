package dev.scalableapi.balancer.status;

import dev.scalableapi.balancer.endpoints.BackendPool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once discovery has delivered a backend list. Deliberately not tied to backend health: with every backend
 * down the balancer should still answer 503 UPSTREAM_UNAVAILABLE, not vanish from its own Service.
 */
@Readiness
@ApplicationScoped
public class DiscoveryReadinessCheck implements HealthCheck {

    private final BackendPool pool;

    DiscoveryReadinessCheck(BackendPool pool) {
        this.pool = pool;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("backend-discovery").status(pool.initialised())
                .withData("backends", pool.all().size()).build();
    }
}
