package dev.scalableapi.gateway.support;

import java.util.Map;

/**
 * The echo upstream, the limiter on its settable test clock ({@code RateLimitClock}), and tiers with further
 * policies: pro has {@code burst:second:4, day:6} beside its minute, free {@code day:3}. One profile class, so the
 * test classes that use it share one gateway.
 */
public class WithPoliciesOnATestClock extends WithEchoUpstream {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.ratelimit.test-clock", "true",
                "gateway.ratelimit.policies.pro", "burst:second:4, day:6",
                // the admin (root, free tier) calls the admin API more often than this in every test
                "gateway.ratelimit.policies.free", "day:3");
    }
}
