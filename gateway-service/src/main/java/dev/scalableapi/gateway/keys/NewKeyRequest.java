package dev.scalableapi.gateway.keys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicyRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/admin/keys}. Unknown fields are refused (422), so a typo never silently drops a
 * setting.
 *
 * @param ownerId            the user the key acts for (its requests carry that user's identity); absent: the admin
 *                           who creates the key
 * @param rateLimitPerMinute optional override of the tier's minute limit
 * @param limits             optional policies of the key's own, replacing its tier's (checked by
 *                           {@link dev.scalableapi.gateway.ratelimit.RateLimitPolicies#validated})
 */
@RegisterForReflection
public record NewKeyRequest(
        @NotBlank @Size(max = 100) String name,
        @Schema(description = "The user the key acts for (its requests carry that user's identity). "
                + "Absent: the calling admin owns the key.")
        @Positive Long ownerId,
        @NotNull @Pattern(regexp = "free|pro|enterprise", message = "must be one of free, pro, enterprise") String tier,
        @NotEmpty Set<@NotNull @Pattern(regexp = "read|write", message = "must be read or write") String> scopes,
        @Future Instant expiresAt,
        @Positive @Max(10_000_000) Integer rateLimitPerMinute,
        @Schema(description = "The key's own rate-limit policies, replacing its tier's: 1 to 8 of "
                + "{\"window\": \"second|minute|hour|day|month\", \"limit\": n, \"name\"?: \"...\"}. "
                + "Absent or null: the tier's.")
        List<RateLimitPolicyRequest> limits) {

    /** This request with {@code ownerId} filled in. */
    NewKeyRequest ownedBy(long owner) {
        return new NewKeyRequest(name, owner, tier, scopes, expiresAt, rateLimitPerMinute, limits);
    }
}
