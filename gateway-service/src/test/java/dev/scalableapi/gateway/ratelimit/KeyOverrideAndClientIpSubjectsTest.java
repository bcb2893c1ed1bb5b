package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.common.identity.Identity;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who is counted and against which limit: key override over tier; key, then user, then client IP. */
class KeyOverrideAndClientIpSubjectsTest {

    static final SlidingWindow MINUTE = new SlidingWindow(60_000, 1_000);
    static final TierPolicies LIMITS = new TierPolicies(Map.of(
            "anonymous", List.of(new RateLimitPolicy("anonymous", PolicyWindow.MINUTE, 3)),
            "free", List.of(new RateLimitPolicy("free", PolicyWindow.MINUTE, 6)),
            "pro", List.of(new RateLimitPolicy("pro", PolicyWindow.MINUTE, 50))), MINUTE);
    static Vertx vertx;
    static Redis redis;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = Limiters.standaloneClient(vertx, Limiters.STANDALONE);
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.closeAndAwait();
    }

    @Test
    void aKeysOwnLimitBeatsItsTier() {
        GatewayRateLimiter limiter = Limiters.exact(redis, Limiters.uniquePrefix());
        Identity key = new Identity(11L, 42L, "user", Set.of("read"), "free");

        RateLimitTarget withOverride = RateLimitTarget.of(key, null, 2, "203.0.113.5", LIMITS);
        assertTarget("key:42", "free", "\"free\";q=2;w=60", withOverride);
        assertEquals(2, admitted(limiter, withOverride, 10));

        RateLimitTarget tierOnly = RateLimitTarget.of(new Identity(11L, 43L, "user", Set.of("read"), "free"), null,
                null, "203.0.113.5", LIMITS);
        assertTarget("key:43", "free", "\"free\";q=6;w=60", tierOnly);
        assertEquals(6, admitted(limiter, tierOnly, 10));
    }

    @Test
    void userTokensCountPerUserAndAnonymousCallersPerClientIp() {
        GatewayRateLimiter limiter = Limiters.exact(redis, Limiters.uniquePrefix());
        assertTarget("user:7", "pro", "\"pro\";q=50;w=60", RateLimitTarget.of(
                new Identity(7L, null, "user", Set.of("read", "write"), "pro"), null, null, "x", LIMITS));
        assertEquals("\"anonymous\";q=3;w=60", LIMITS.forTier("no-such-tier").policyHeader(),
                "unknown tiers get the anonymous limit");

        RateLimitTarget first = RateLimitTarget.of(Identity.anonymous(), null, null, "192.0.2.10", LIMITS);
        RateLimitTarget second = RateLimitTarget.of(Identity.anonymous(), null, null, "192.0.2.11", LIMITS);
        assertTarget("ip:192.0.2.10", "anonymous", "\"anonymous\";q=3;w=60", first);
        assertEquals(3, admitted(limiter, first, 5));
        RateLimitDecision other = decide(limiter, second);
        assertTrue(other.allowed(), "another IP has its own budget");
        assertEquals(2, other.remaining());
        assertFalse(decide(limiter, first).allowed());
    }

    private static void assertTarget(String subject, String tier, String policies, RateLimitTarget target) {
        assertEquals(subject, target.subject());
        assertEquals(tier, target.tier());
        assertEquals(policies, target.policies().policyHeader());
    }

    private static long admitted(GatewayRateLimiter limiter, RateLimitTarget target, int attempts) {
        long allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += decide(limiter, target).allowed() ? 1 : 0;
        }
        return allowed;
    }

    private static RateLimitDecision decide(GatewayRateLimiter limiter, RateLimitTarget target) {
        return Limiters.await(limiter.isAllowed(target.subject(), target.tier(), target.policies()), Duration.ofSeconds(10));
    }
}
