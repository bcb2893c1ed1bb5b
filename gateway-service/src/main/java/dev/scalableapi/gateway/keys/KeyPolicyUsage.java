package dev.scalableapi.gateway.keys;

import dev.scalableapi.gateway.ratelimit.GatewayRateLimiter;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicies;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the current period of each of a key's policies has used, read from the limiter's own Redis counters
 * without spending a request (the script's look-only mode, as {@code GET /api/v1/me}). While that Redis cannot
 * answer, the policies are still listed with their limits, without counts.
 */
@ApplicationScoped
public class KeyPolicyUsage {

    /** The policies' part of {@link KeyUsage}. */
    public record Counted(String from, boolean available, List<KeyUsage.PolicyUsage> policies) {
    }

    private final GatewayRateLimiter limiter;
    private final TierPolicies tiers;

    KeyPolicyUsage(GatewayRateLimiter limiter, TierPolicies tiers) {
        this.limiter = limiter;
        this.tiers = tiers;
    }

    public Uni<Counted> of(KeyView key) {
        RateLimitPolicies policies = tiers.forKey(key.tier(), key.limits(), key.rateLimitPerMinute());
        String from = key.limits() != null && !key.limits().isEmpty() ? "key" : "tier";
        // the subject the gateway counts a key's requests under (RateLimitTarget): both secrets of a rotation share it
        String subject = "key:" + key.id();
        return Uni.createFrom().completionStage(() -> limiter.peek(subject, key.tier(), policies).toCompletionStage())
                .map(peeked -> new Counted(from, peeked.isPresent(), usage(policies, peeked)));
    }

    private static List<KeyUsage.PolicyUsage> usage(RateLimitPolicies policies, Optional<RateLimitDecision> peeked) {
        List<KeyUsage.PolicyUsage> usage = new ArrayList<>(policies.size());
        for (int i = 0; i < policies.size(); i++) {
            Long used = null;
            Long remaining = null;
            Instant resetAt = null;
            if (peeked.isPresent()) {
                RateLimitDecision d = peeked.get();
                remaining = d.remaining(i);
                used = policies.limit(i) - remaining;
                boolean idleWindow = used == 0 && !policies.window(i).isCalendar();
                resetAt = idleWindow ? null : Instant.ofEpochSecond(d.resetEpochSeconds(i));
            }
            usage.add(new KeyUsage.PolicyUsage(policies.name(i), policies.window(i).id(), policies.headerSeconds(i),
                    policies.limit(i), used, remaining, resetAt));
        }
        return usage;
    }
}
