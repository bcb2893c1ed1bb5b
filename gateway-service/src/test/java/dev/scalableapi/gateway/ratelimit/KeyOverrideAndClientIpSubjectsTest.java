package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.gateway.ratelimit.RateLimitTarget.TierLimits;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who is counted and against which limit: key override over tier; key, then user, then client IP. */
class KeyOverrideAndClientIpSubjectsTest {

    static final TierLimits LIMITS = new TierLimits(Map.of("anonymous", 3L, "free", 6L, "pro", 50L));
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
        GatewayRateLimiter limiter = Limiters.exact(redis, Limiters.uniquePrefix(), new SlidingWindow(60_000, 1_000));
        Identity key = new Identity(11L, 42L, "user", Set.of("read"), "free");

        RateLimitTarget withOverride = RateLimitTarget.of(key, 2, "203.0.113.5", LIMITS);
        assertEquals(new RateLimitTarget("key:42", "free", 2), withOverride);
        assertEquals(2, admitted(limiter, withOverride, 10));

        RateLimitTarget tierOnly = RateLimitTarget.of(new Identity(11L, 43L, "user", Set.of("read"), "free"), null,
                "203.0.113.5", LIMITS);
        assertEquals(new RateLimitTarget("key:43", "free", 6), tierOnly);
        assertEquals(6, admitted(limiter, tierOnly, 10));
    }

    @Test
    void userTokensCountPerUserAndAnonymousCallersPerClientIp() {
        GatewayRateLimiter limiter = Limiters.exact(redis, Limiters.uniquePrefix(), new SlidingWindow(60_000, 1_000));
        assertEquals(new RateLimitTarget("user:7", "pro", 50),
                RateLimitTarget.of(new Identity(7L, null, "user", Set.of("read", "write"), "pro"), null, "x", LIMITS));
        assertEquals(3, LIMITS.limitOf("no-such-tier"), "unknown tiers get the anonymous limit");

        RateLimitTarget first = RateLimitTarget.of(Identity.anonymous(), null, "192.0.2.10", LIMITS);
        RateLimitTarget second = RateLimitTarget.of(Identity.anonymous(), null, "192.0.2.11", LIMITS);
        assertEquals(new RateLimitTarget("ip:192.0.2.10", "anonymous", 3), first);
        assertEquals(3, admitted(limiter, first, 5));
        RateLimitDecision other = decide(limiter, second);
        assertTrue(other.allowed(), "another IP has its own budget");
        assertEquals(2, other.remaining());
        assertFalse(decide(limiter, first).allowed());
    }

    private static long admitted(GatewayRateLimiter limiter, RateLimitTarget target, int attempts) {
        long allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += decide(limiter, target).allowed() ? 1 : 0;
        }
        return allowed;
    }

    private static RateLimitDecision decide(GatewayRateLimiter limiter, RateLimitTarget target) {
        return Limiters.await(limiter.isAllowed(target.subject(), target.tier(), target.limit()), Duration.ofSeconds(10));
    }
}
