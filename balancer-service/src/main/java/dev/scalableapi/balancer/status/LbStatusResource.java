package dev.scalableapi.balancer.status;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.health.BackendHealth;
import dev.scalableapi.balancer.outlier.Ejection;
import dev.scalableapi.balancer.outlier.OutlierDetector;
import dev.scalableapi.balancer.picking.PickingConfig;
import dev.scalableapi.balancer.retry.RetryBudget;
import dev.scalableapi.common.envelope.ApiResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** {@code GET /lb/status}: every backend and the retry budget, as this balancer replica sees them. */
@Path("/lb/status")
@Produces(MediaType.APPLICATION_JSON)
public class LbStatusResource {

    @RegisterForReflection
    public record Status(String policy, int healthyBackends, List<BackendView> backends, Retries retries) {
    }

    @RegisterForReflection
    public record BackendView(String id, String address, int weight, boolean healthy, boolean degraded,
            String lastHealthError, int inFlight, long requests, long failures, int consecutiveFailures,
            String breaker, int ejections, String ejectedUntil, double latencyEwmaMs) {
    }

    @RegisterForReflection
    public record Retries(int activeRequests, int activeRetries, long attempted, long budgetExhausted) {
    }

    private final BackendPool pool;
    private final BackendHealth health;
    private final OutlierDetector outliers;
    private final RetryBudget budget;
    private final PickingConfig picking;

    LbStatusResource(BackendPool pool, BackendHealth health, OutlierDetector outliers, RetryBudget budget,
            PickingConfig picking) {
        this.pool = pool;
        this.health = health;
        this.outliers = outliers;
        this.budget = budget;
        this.picking = picking;
    }

    @GET
    public ApiResponse<Status> status() {
        List<BackendView> backends = pool.all().stream().map(this::view).toList();
        int healthy = (int) pool.all().stream()
                .filter(b -> health.healthy(b) && outliers.ejection(b) != Ejection.OPEN).count();
        return ApiResponse.of(new Status(picking.policy().name().toLowerCase(), healthy, backends,
                new Retries(budget.activeRequests(), budget.activeRetries(), budget.attempted(), budget.exhausted())));
    }

    private BackendView view(Backend b) {
        OutlierDetector.Status breaker = outliers.status(b);
        long until = breaker.ejectedUntilMillis();
        return new BackendView(b.id(), "http://" + b.id(), b.weight(), health.healthy(b), health.degraded(b),
                health.lastError(b), b.inFlight(), b.requests(), b.failures(), breaker.consecutiveFailures(),
                breaker.ejection().name(), breaker.ejections(),
                until == 0 ? null : Instant.ofEpochMilli(until).toString(),
                Math.round(b.latencyEwmaMillis() * 100) / 100.0);
    }
}
