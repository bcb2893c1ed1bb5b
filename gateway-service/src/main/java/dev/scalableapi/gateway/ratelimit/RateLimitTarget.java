package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.tiers.Tier;
import java.util.List;

/**
 * Who is counted and against what: the subject is the API key when the caller used one, else the user (a
 * user token), else the client's network (anonymous: its IPv4 address or IPv6 /64); the policies are the key's own
 * when it has them, else its tier's (with the key's {@code rateLimitPerMinute} as the minute policy's limit).
 *
 * @param subject  counted identity, e.g. {@code key:42}, {@code user:7}, {@code ip:203.0.113.9}, {@code ip:2001:db8:1:2::/64}
 * @param tier     the caller's tier id (metrics label)
 * @param policies every policy the request must pass
 */
public record RateLimitTarget(String subject, String tier, RateLimitPolicies policies) {

    public static RateLimitTarget of(Identity identity, List<RateLimitPolicy> keyLimits, Integer perMinute,
            String clientNetwork, TierPolicies tiers) {
        String tier = identity.tier() == null ? Tier.ANONYMOUS.id() : identity.tier();
        String subject;
        if (identity.keyId() != null) {
            subject = "key:" + identity.keyId();
        } else if (identity.userId() != null) {
            subject = "user:" + identity.userId();
        } else {
            subject = "ip:" + (clientNetwork == null || clientNetwork.isBlank() ? "unknown" : clientNetwork);
        }
        return new RateLimitTarget(subject, tier, tiers.forKey(tier, keyLimits, perMinute));
    }
}
