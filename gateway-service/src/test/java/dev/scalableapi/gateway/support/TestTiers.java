package dev.scalableapi.gateway.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.tiers.Tier;
import dev.scalableapi.gateway.ratelimit.PolicyWindow;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import dev.scalableapi.gateway.ratelimit.SlidingWindow;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import dev.scalableapi.gateway.tiers.TierStore;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A replica's tiers built by hand (for tests without a Quarkus boot): the default minute policies as its seed. */
public final class TestTiers {

    private TestTiers() {
    }

    public static Map<String, List<RateLimitPolicy>> defaults() {
        Map<String, List<RateLimitPolicy>> tiers = new LinkedHashMap<>();
        for (Tier tier : Tier.values()) {
            tiers.put(tier.id(), List.of(new RateLimitPolicy(tier.id(), PolicyWindow.MINUTE, tier.defaultPerMinute())));
        }
        return tiers;
    }

    public static TierPolicies policies() {
        return new TierPolicies(defaults(), new SlidingWindow(60_000, 1_000));
    }

    public static TierStore store(Pool pool, TierPolicies policies) {
        return new TierStore(pool, policies, new ObjectMapper(), defaults());
    }
}
