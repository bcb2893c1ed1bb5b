package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.tiers.Tier;
import java.util.Map;
import java.util.Optional;

/**
 * Who is counted and against what: the subject is the API key when the caller used one, else the user (a
 * user token), else the client's network (anonymous: its IPv4 address or IPv6 /64); the limit is the key's own override when it has one, else its
 * tier's.
 *
 * @param subject counted identity, e.g. {@code key:42}, {@code user:7}, {@code ip:203.0.113.9}, {@code ip:2001:db8:1:2::/64}
 * @param tier    policy name (the tier id)
 * @param limit   requests per window
 */
public record RateLimitTarget(String subject, String tier, long limit) {

    public static RateLimitTarget of(Identity identity, Integer overridePerWindow, String clientNetwork,
            TierLimits limits) {
        String tier = identity.tier() == null ? Tier.ANONYMOUS.id() : identity.tier();
        long limit = overridePerWindow != null && overridePerWindow > 0 ? overridePerWindow : limits.limitOf(tier);
        String subject;
        if (identity.keyId() != null) {
            subject = "key:" + identity.keyId();
        } else if (identity.userId() != null) {
            subject = "user:" + identity.userId();
        } else {
            subject = "ip:" + (clientNetwork == null || clientNetwork.isBlank() ? "unknown" : clientNetwork);
        }
        return new RateLimitTarget(subject, tier, limit);
    }

    /** Requests per window by tier; unknown tiers get the anonymous tier's limit (the most cautious one). */
    public record TierLimits(Map<String, Long> byTier) {

        public static TierLimits of(RateLimitConfig.Tiers tiers) {
            return new TierLimits(Map.of(
                    Tier.ANONYMOUS.id(), orDefault(tiers.anonymous(), Tier.ANONYMOUS),
                    Tier.FREE.id(), orDefault(tiers.free(), Tier.FREE),
                    Tier.PRO.id(), orDefault(tiers.pro(), Tier.PRO),
                    Tier.ENTERPRISE.id(), orDefault(tiers.enterprise(), Tier.ENTERPRISE)));
        }

        public long limitOf(String tier) {
            Long limit = byTier.get(tier);
            return limit != null ? limit : byTier.getOrDefault(Tier.ANONYMOUS.id(),
                    (long) Tier.ANONYMOUS.defaultPerMinute());
        }

        private static long orDefault(Optional<Integer> configured, Tier tier) {
            return configured.orElse(tier.defaultPerMinute());
        }
    }
}
