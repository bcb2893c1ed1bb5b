package dev.scalableapi.gateway.tiers;

import dev.scalableapi.gateway.ratelimit.RateLimitPolicyRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code PUT /api/v1/admin/tiers/{name}}'s body: the tier's whole new list, in the shape of a key's {@code limits}
 * (checked the same way, errors naming {@code policies[i].window} and so on).
 */
@RegisterForReflection
public record TierChange(List<RateLimitPolicyRequest> policies) {
}
