package dev.scalableapi.api.instance;

import dev.scalableapi.common.envelope.ApiResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@Startup
@Singleton
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @RegisterForReflection
    public record Status(String instanceId, String version, long uptimeSeconds, String startedAt) {
    }

    private final InstanceConfig instance;
    private final String version;
    private final Instant startedAt = Instant.now();

    StatusResource(InstanceConfig instance, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.instance = instance;
        this.version = version;
    }

    @GET
    public ApiResponse<Status> status() {
        long uptime = Duration.between(startedAt, Instant.now()).toSeconds();
        return ApiResponse.of(new Status(instance.id(), version, uptime, startedAt.toString()));
    }
}
