package dev.scalableapi.gateway.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * A key as the admin API lists it: its visible prefix, never its value or hash.
 *
 * @param limits               the key's own rate-limit policies; null: its tier's
 * @param previousKeyExpiresAt when the secret its last rotation replaced stops (or stopped) working; null if never
 *                             rotated
 */
@RegisterForReflection
public record KeyView(long id, String prefix, String name, long ownerId, String ownerEmail, String tier,
        List<String> scopes, Integer rateLimitPerMinute, List<RateLimitPolicy> limits, String status,
        Instant expiresAt, Instant createdAt, Instant lastUsedAt, Instant revokedAt, Instant previousKeyExpiresAt) {

    /** The creation and rotation answer: the only responses that ever contain a full key. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Created(String key, String warning, KeyView details) {
    }
}
