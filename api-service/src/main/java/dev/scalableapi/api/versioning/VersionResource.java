package dev.scalableapi.api.versioning;

import dev.scalableapi.common.envelope.ApiResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.TreeMap;

@Path("/api/version")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    @RegisterForReflection
    public record Versions(String current, List<String> supported, List<DeprecatedVersion> deprecated) {
    }

    @RegisterForReflection
    public record DeprecatedVersion(String version, String since, String sunset) {
    }

    private final VersionConfig config;

    VersionResource(VersionConfig config) {
        this.config = config;
    }

    @GET
    public ApiResponse<Versions> versions() {
        List<DeprecatedVersion> deprecated = new TreeMap<>(config.deprecated()).entrySet().stream()
                .map(e -> new DeprecatedVersion(e.getKey(), e.getValue().since().toString(),
                        e.getValue().sunset().toString()))
                .toList();
        return ApiResponse.of(new Versions(config.current(), config.supported(), deprecated));
    }
}
