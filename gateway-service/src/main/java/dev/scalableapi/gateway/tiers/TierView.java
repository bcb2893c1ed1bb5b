package dev.scalableapi.gateway.tiers;

import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;

/** A tier as the admin API shows it: its name, its policies in order, and when they were last set. */
@RegisterForReflection
public record TierView(String name, List<RateLimitPolicy> policies, OffsetDateTime updatedAt) {

    static TierView of(TierStore.Stored stored) {
        return new TierView(stored.name(), stored.policies(), stored.updatedAt());
    }
}
