package dev.scalableapi.gateway.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** A key as the admin API lists it: its visible prefix, never its value or hash. */
@RegisterForReflection
public record KeyView(long id, String prefix, String name, long ownerId, String ownerEmail, String tier,
        List<String> scopes, Integer rateLimitPerMinute, String status, Instant expiresAt, Instant createdAt,
        Instant lastUsedAt, Instant revokedAt) {

    /** The creation answer: the only response that ever contains the full key. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Created(String key, String warning, KeyView details) {
    }
}
