package dev.scalableapi.gateway.keys;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What authentication needs to know about a key; cached in L1 and Redis under the key's hash.
 *
 * @param limits        the key's own rate-limit policies, replacing its tier's; null: its tier's (with
 *                      {@code rateLimitPerMinute}, when set, as the minute limit)
 * @param ownerDisabled whether the key's owner is disabled: then the key is refused (403), not revoked
 * @param graceEndsAt   when the secret this record was found by stops working, because the key was rotated and
 *                      this is its previous secret; null for the current secret. Checked at every use, so no cached
 *                      copy of the record keeps the old secret alive past its grace
 */
@RegisterForReflection
public record KeyRecord(long id, long ownerId, String ownerRole, String tier, Set<String> scopes,
        Integer rateLimitPerMinute, List<RateLimitPolicy> limits, Instant expiresAt, boolean revoked,
        boolean ownerDisabled, Instant graceEndsAt) {

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean isReplaced(Instant now) {
        return graceEndsAt != null && !now.isBefore(graceEndsAt);
    }

    /**
     * Why this key may not be used at {@code now} (revoked, expired, owner disabled, a rotated-out secret past its
     * grace), or null when it may. A rotated-out secret gets {@code AUTH_KEY_EXPIRED}: its holder can act on it
     * (use the new secret), where {@code AUTH_INVALID_KEY} would suggest a typo.
     */
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
        if (isReplaced(now)) {
            return new ApiException(ErrorCode.AUTH_KEY_EXPIRED,
                    "This API key was rotated and its grace period has ended; use its new secret");
        }
        return null;
    }
}
