package dev.scalableapi.gateway.ratelimit;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A policy as a request body gives it ({@code "limits": [{"window": "month", "limit": 5}]}): the window as text, so
 * a wrong one is a 422 naming {@code limits[i].window} rather than a parse failure. Checked by
 * {@link RateLimitPolicies#validated}, which names each wrong field with its index.
 */
@RegisterForReflection
public record RateLimitPolicyRequest(String name, String window, Long limit) {
}
