package dev.scalableapi.api.cache;

import dev.scalableapi.api.identity.AccessPolicy;
import dev.scalableapi.api.identity.CallerIdentity;
import dev.scalableapi.common.envelope.ApiResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** This replica's cache figures and the fleet-wide clear, for the gateway's admin API (admin identity required). */
@Path("/api/v1/internal/cache")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {

    private final ResourceCache cache;
    private final CallerIdentity identity;

    CacheResource(ResourceCache cache, CallerIdentity identity) {
        this.cache = cache;
        this.identity = identity;
    }

    @GET
    public ApiResponse<CacheStats> stats(HttpServerRequest request) {
        AccessPolicy.requireAdmin(identity.of(request));
        return ApiResponse.of(cache.stats());
    }

    /** Empties L2 and the L1 of every replica. */
    @POST
    @Path("clear")
    public Uni<ApiResponse<Map<String, Long>>> clear(HttpServerRequest request) {
        AccessPolicy.requireAdmin(identity.of(request));
        return cache.clear().map(removed -> ApiResponse.of(Map.of("l2EntriesRemoved", removed)));
    }
}
