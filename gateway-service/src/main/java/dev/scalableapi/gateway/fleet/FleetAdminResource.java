package dev.scalableapi.gateway.fleet;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.params.QueryParameters;
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
        long now = now();
        return status.inputs(now).flatMap(in -> metrics.current(now, in.balancer())).map(ApiResponse::of);
    }

    @GET
    @Path("metrics/history")
    public Uni<ApiResponse<FleetView.History>> history(@RestQuery String minutes) {
        int range = QueryParameters.positiveInt("minutes", minutes, 60, (int) metrics.maxHistoryMinutes());
        return metrics.history(now(), range).map(ApiResponse::of);
    }

    @GET
    @Path("servers")
    public Uni<ApiResponse<FleetStatus.Servers>> servers() {
        return status.inputs(now()).map(in -> ApiResponse.of(status.servers(in)));
    }

    @GET
    @Path("circuit-breakers")
    public Uni<ApiResponse<List<FleetStatus.Breaker>>> breakers() {
        return status.inputs(now()).map(in -> ApiResponse.of(status.breakers(in)));
    }

    @GET
    @Path("cache")
    public Uni<ApiResponse<FleetStatus.Cache>> cache() {
        long now = now();
        return status.inputs(now).flatMap(in -> metrics.current(now, in.balancer())
                .map(current -> ApiResponse.of(status.cache(in, current.cache()))));
    }

    /** One read of the balancer and of the replicas' snapshots serves every part of the snapshot. */
    @GET
    @Path("dashboard")
    public Uni<ApiResponse<Dashboard>> dashboard() {
        long now = now();
        return status.inputs(now).flatMap(in -> metrics.current(now, in.balancer())
                .map(current -> ApiResponse.of(new Dashboard(current, status.breakers(in),
                        status.cache(in, current.cache()), status.servers(in)))));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
