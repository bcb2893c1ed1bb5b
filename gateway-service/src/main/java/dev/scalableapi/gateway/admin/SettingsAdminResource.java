package dev.scalableapi.gateway.admin;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.gateway.credentials.CredentialsConfig;
import dev.scalableapi.gateway.pipeline.TrustedProxiesConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/v1/admin/settings}: what this gateway runs with that operators set at deploy time and the
 * dashboard shows read-only — the proxies whose {@code X-Forwarded-For} it believes ({@code TRUSTED_PROXIES}) and
 * how soon a change made elsewhere (a tier, a key, a user) reaches it. Nothing secret is configured here.
 */
@Path("/api/v1/admin/settings")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsAdminResource {

    /** @param changePollIntervalMillis how often this replica reads the changes other replicas or SQL made */
    @RegisterForReflection
    public record Settings(List<String> trustedProxies, long changePollIntervalMillis) {
    }

    private final Settings settings;

    SettingsAdminResource(TrustedProxiesConfig proxies, CredentialsConfig credentials) {
        this.settings = new Settings(List.copyOf(proxies.cidrs()), credentials.pollInterval().toMillis());
    }

    @GET
    public Uni<ApiResponse<Settings>> get() {
        return Uni.createFrom().item(ApiResponse.of(settings));
    }
}
