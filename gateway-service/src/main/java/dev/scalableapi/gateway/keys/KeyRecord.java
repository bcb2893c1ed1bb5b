package dev.scalableapi.gateway.keys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Set;

/** What authentication needs to know about a key; cached in L1 and Redis under the key's hash. */
@RegisterForReflection
public record KeyRecord(long id, long ownerId, String ownerRole, String tier, Set<String> scopes,
        Integer rateLimitPerMinute, Instant expiresAt, boolean revoked) {

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
