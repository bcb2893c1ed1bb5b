package dev.scalableapi.gateway.fleet;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/** Fleet-wide reads for operators: metrics, servers, breakers, cache, and all of them at once for the dashboard. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class FleetAdminResource {

    /** {@code GET /dashboard}: what the overview needs, in one poll. */
    @RegisterForReflection
    public record Dashboard(FleetView.Current metrics, List<FleetStatus.Breaker> breakers, FleetStatus.Cache cache,
            FleetStatus.Servers servers) {
    }

    private final FleetMetrics metrics;
    private final FleetStatus status;

    FleetAdminResource(FleetMetrics metrics, FleetStatus status) {
        this.metrics = metrics;
        this.status = status;
    }

    @GET
    @Path("metrics/current")
    public Uni<ApiResponse<FleetView.Current>> current() {
        return metrics.current(now()).map(ApiResponse::of);
    }

    @GET
    @Path("metrics/history")
    public Uni<ApiResponse<FleetView.History>> history(@RestQuery Integer minutes) {
        int range = minutes == null ? 60 : minutes;
        if (range < 1 || range > metrics.maxHistoryMinutes()) {
            throw ApiException.invalidParameter("minutes", "must be between 1 and " + metrics.maxHistoryMinutes());
        }
        return metrics.history(now(), range).map(ApiResponse::of);
    }

    @GET
    @Path("servers")
    public Uni<ApiResponse<FleetStatus.Servers>> servers() {
        return status.servers(now()).map(ApiResponse::of);
    }

    @GET
    @Path("circuit-breakers")
    public Uni<ApiResponse<List<FleetStatus.Breaker>>> breakers() {
        return status.breakers(now()).map(ApiResponse::of);
    }

    @GET
    @Path("cache")
    public Uni<ApiResponse<FleetStatus.Cache>> cache() {
        return status.cache(now()).map(ApiResponse::of);
    }

    @GET
    @Path("dashboard")
    public Uni<ApiResponse<Dashboard>> dashboard() {
        long now = now();
        return Uni.combine().all().unis(metrics.current(now), status.breakers(now), status.cache(now),
                status.servers(now)).asTuple()
                .map(t -> ApiResponse.of(new Dashboard(t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4())));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
