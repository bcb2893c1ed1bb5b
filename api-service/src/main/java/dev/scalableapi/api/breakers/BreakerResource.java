package dev.scalableapi.api.breakers;

import dev.scalableapi.api.identity.AccessPolicy;
import dev.scalableapi.api.identity.CallerIdentity;
import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/** This replica's breakers, for the gateway's admin API (admin identity required). */
@Path("/api/v1/internal/circuit-breakers")
@Produces(MediaType.APPLICATION_JSON)
public class BreakerResource {

    private final BreakerRegistry breakers;
    private final CallerIdentity identity;

    BreakerResource(BreakerRegistry breakers, CallerIdentity identity) {
        this.breakers = breakers;
        this.identity = identity;
    }

    @GET
    public ApiResponse<List<BreakerRegistry.BreakerView>> list(HttpHeaders headers) {
        AccessPolicy.requireAdmin(identity.of(headers));
        return ApiResponse.of(breakers.all());
    }

    @POST
    @Path("{name}/reset")
    public ApiResponse<BreakerRegistry.BreakerView> reset(@RestPath String name, HttpHeaders headers) {
        AccessPolicy.requireAdmin(identity.of(headers));
        if (!breakers.exists(name)) {
            throw ApiException.notFound("Circuit breaker '" + name + "'");
        }
        return ApiResponse.of(breakers.reset(name));
    }
}
