package dev.scalableapi.api.external;

import dev.scalableapi.common.envelope.ApiResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/external")
@Produces(MediaType.APPLICATION_JSON)
public class ExternalResource {

    private final ExternalService service;

    ExternalResource(ExternalService service) {
        this.service = service;
    }

    /** 200 either way; a fallback answer carries {@code X-Fallback: true} and says why in the body. */
    @GET
    public Uni<RestResponse<ApiResponse<ExternalService.ExternalResult>>> fetch() {
        return service.fetch().map(result -> RestResponse.ResponseBuilder.ok(ApiResponse.of(result))
                .header("X-Fallback", Boolean.toString(result.fallback()))
                .build());
    }
}
