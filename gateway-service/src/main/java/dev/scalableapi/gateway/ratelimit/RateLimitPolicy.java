package dev.scalableapi.gateway.ratelimit;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One limit: at most {@code limit} requests per {@code window}, shown in headers under {@code name}. Stored as
 * JSON ({@code {"name":"monthly","window":"month","limit":5}}) in a key's {@code rate_limits} and its cached record.
 */
@RegisterForReflection
public record RateLimitPolicy(String name, PolicyWindow window, long limit) {

    public RateLimitPolicy {
        if (window == null || limit <= 0) {
            throw new IllegalArgumentException("a policy needs a window and a positive limit");
        }
        if (name == null || name.isBlank()) {
            name = window.defaultName();
        }
    }
}
