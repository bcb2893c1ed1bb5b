package dev.scalableapi.balancer.status;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
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
    public record BackendView(String id, String address, int weight, boolean healthy, String lastHealthError,
            int inFlight, long requests, long failures, int consecutiveFailures, String breaker, int ejections,
            String ejectedUntil, double latencyEwmaMs) {
    }

    @RegisterForReflection
    public record Retries(int activeRequests, int activeRetries, long attempted, long budgetExhausted) {
    }

    private final BackendPool pool;
    private final RetryBudget budget;
    private final PickingConfig picking;

    LbStatusResource(BackendPool pool, RetryBudget budget, PickingConfig picking) {
        this.pool = pool;
        this.budget = budget;
        this.picking = picking;
    }

    @GET
    public ApiResponse<Status> status() {
        List<BackendView> backends = pool.all().stream().map(LbStatusResource::view).toList();
        int healthy = (int) pool.all().stream()
                .filter(b -> b.healthy() && b.ejection() != Backend.Ejection.OPEN).count();
        return ApiResponse.of(new Status(picking.policy().name().toLowerCase(), healthy, backends,
                new Retries(budget.activeRequests(), budget.activeRetries(), budget.attempted(), budget.exhausted())));
    }

    private static BackendView view(Backend b) {
        long until = b.ejectedUntilMillis();
        return new BackendView(b.id(), "http://" + b.id(), b.weight(), b.healthy(), b.lastHealthError(),
                b.inFlight(), b.requests(), b.failures(), b.consecutiveFailures().get(), b.ejection().name(),
                b.ejections(), until == 0 ? null : Instant.ofEpochMilli(until).toString(),
                Math.round(b.latencyEwmaMillis() * 100) / 100.0);
    }
}
