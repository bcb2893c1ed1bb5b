package dev.scalableapi.api.breakers;

import dev.scalableapi.api.identity.AccessPolicy;
import dev.scalableapi.api.identity.CallerIdentity;
import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/** This replica's breakers, and a reset that reaches every replica, for the gateway's admin API (admin only). */
@Path("/api/v1/internal/circuit-breakers")
@Produces(MediaType.APPLICATION_JSON)
public class BreakerResource {

    private final BreakerRegistry breakers;
    private final BreakerResets resets;
    private final CallerIdentity identity;

    BreakerResource(BreakerRegistry breakers, BreakerResets resets, CallerIdentity identity) {
        this.breakers = breakers;
        this.resets = resets;
        this.identity = identity;
    }

    @GET
    public ApiResponse<List<BreakerRegistry.BreakerView>> list(HttpServerRequest request) {
        AccessPolicy.requireAdmin(identity.of(request));
        return ApiResponse.of(breakers.all());
    }

    @POST
    @Path("{name}/reset")
    public Uni<ApiResponse<BreakerRegistry.BreakerView>> reset(@RestPath String name, HttpServerRequest request) {
        AccessPolicy.requireAdmin(identity.of(request));
        if (!breakers.exists(name)) {
            throw ApiException.notFound("Circuit breaker '" + name + "'");
        }
        return resets.resetEverywhere(name).map(ApiResponse::of);
    }
}
