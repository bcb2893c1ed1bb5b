package dev.scalableapi.gateway.keys;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Set;

/**
 * What authentication needs to know about a key; cached in L1 and Redis under the key's hash.
 *
 * @param ownerDisabled whether the key's owner is disabled: then the key is refused (403), not revoked
 */
@RegisterForReflection
public record KeyRecord(long id, long ownerId, String ownerRole, String tier, Set<String> scopes,
        Integer rateLimitPerMinute, Instant expiresAt, boolean revoked, boolean ownerDisabled) {

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Why this key may not be used at {@code now} (revoked, expired, owner disabled), or null when it may. */
    public ApiException refusal(Instant now) {
        if (revoked) {
            return new ApiException(ErrorCode.AUTH_KEY_REVOKED, "This API key has been revoked");
        }
        if (ownerDisabled) {
            return new ApiException(ErrorCode.FORBIDDEN, "The owner of this API key is disabled");
        }
        if (isExpired(now)) {
            return new ApiException(ErrorCode.AUTH_KEY_EXPIRED, "This API key has expired");
        }
        return null;
    }
}
