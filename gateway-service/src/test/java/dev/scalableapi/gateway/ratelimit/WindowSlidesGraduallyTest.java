package dev.scalableapi.gateway.ratelimit;

import static dev.scalableapi.gateway.ratelimit.Limiters.assertBetween;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After the limit is hit, capacity comes back as the window slides past the oldest requests — only their
 * share, while the newer ones still count — not all at once as a fixed window's reset would give it.
 * A 3-second window in 500 ms steps keeps the test short.
 */
class WindowSlidesGraduallyTest {

    static final SlidingWindow WINDOW = new SlidingWindow(3_000, 500);

    static final Duration TIMEOUT = Duration.ofSeconds(10);
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
    void redisWindowReturnsCapacityBucketByBucket() {
        SlidingWindow window = WINDOW;
        GatewayRateLimiter limiter = Limiters.exact(redis, Limiters.uniquePrefix());
        String subject = "ip:198.51.100.7";
        int limit = 4;

        long t0 = redisMillis();
        assertTrue(decide(limiter, subject, limit).allowed());
        assertTrue(decide(limiter, subject, limit).allowed());
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> redisMillis() >= t0 + 1_500);
        assertTrue(decide(limiter, subject, limit).allowed());
        RateLimitDecision last = decide(limiter, subject, limit);
        assertTrue(last.allowed());
        assertEquals(0, last.remaining());

        RateLimitDecision refused = decide(limiter, subject, limit);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertBetween(1, 3, refused.retryAfterSeconds());

        // poll until the first pair has slid out of the window
        AtomicLong readmittedAt = new AtomicLong();
        AtomicReference<RateLimitDecision> readmitted = new AtomicReference<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            RateLimitDecision d = decide(limiter, subject, limit);
            if (d.allowed()) {
                readmittedAt.set(redisMillis());
                readmitted.set(d);
            }
            return d.allowed();
        });
        assertTrue(readmittedAt.get() >= t0 + window.windowMillis(),
                "nothing comes back before a full window has passed over the first requests");
        assertEquals(1, readmitted.get().remaining(), "only the oldest pair's capacity came back");
        assertTrue(decide(limiter, subject, limit).allowed());
        RateLimitDecision stillCounted = decide(limiter, subject, limit);
        assertFalse(stillCounted.allowed(), "the newer pair still counts: no fixed-window reset");
        assertTrue(redisMillis() < t0 + 1_500 + window.windowMillis(), "the test stayed inside its timing");
    }

    /**
     * A subject's counts must outlive the window of its newest request (else they vanish early and over-admit)
     * and no more than a step longer (memory). Checked after each of many decisions over three steps, the first
     * writes of each step among them: the key's lifetime is set when a step's bucket opens, not on every write.
     */
    @Test
    void countsLiveUntilTheNewestRequestLeavesTheWindowAndNoLonger() {
        String prefix = Limiters.uniquePrefix();
        GatewayRateLimiter limiter = Limiters.exact(redis, prefix);
        String subject = "ip:198.51.100.9";
        String key = new RedisRateLimiter(Limiters.pipeline(redis), prefix, null)
                .key(subject, Limiters.minute("anonymous", 1, WINDOW), 0);
        long step = WINDOW.stepMillis();
        // the decision's round trip, the clock's and the lifetime's reads: far less than a step
        long slack = 100;
        long start = redisMillis();
        int decisions = 0;
        for (long before = start; before < start + 3 * step; before = redisMillis()) {
            assertTrue(decide(limiter, subject, 1_000_000).allowed());
            long lifetime = redis.send(Request.cmd(Command.PTTL).arg(key)).await().atMost(TIMEOUT).toLong();
            long newestLeavesTheWindow = (before / step + 1) * step + WINDOW.windowMillis();
            assertTrue(before + lifetime >= newestLeavesTheWindow - slack,
                    "lifetime " + lifetime + " ms at " + before + " ends before " + newestLeavesTheWindow);
            assertTrue(lifetime <= WINDOW.windowMillis() + step, "lifetime " + lifetime + " ms");
            decisions++;
        }
        assertTrue(decisions > 10, "several decisions per step: " + decisions);
    }

    @Test
    void localFallbackWindowSlidesTheSameWay() {
        AtomicLong clock = new AtomicLong(1_000_000);
        LocalRateLimiter local = new LocalRateLimiter(() -> 1, 100, clock::get);
        RateLimitPolicies four = Limiters.minute("anonymous", 4, WINDOW);
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
        clock.addAndGet(1_500);
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
        RateLimitDecision refused = local.acquire("ip:a", "anonymous", four);
        assertFalse(refused.allowed());
        assertEquals(2, refused.retryAfterSeconds()); // first pair leaves at 1_003_500: 2 s after 1_001_500

        clock.set(1_003_499);
        assertFalse(local.acquire("ip:a", "anonymous", four).allowed());
        clock.set(1_003_500);
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
        assertFalse(local.acquire("ip:a", "anonymous", four).allowed());
        clock.set(1_005_000);
        assertTrue(local.acquire("ip:a", "anonymous", four).allowed());
    }

    private static RateLimitDecision decide(GatewayRateLimiter limiter, String subject, int limit) {
        return Limiters.await(limiter.isAllowed(subject, "anonymous", Limiters.minute("anonymous", limit, WINDOW)),
                TIMEOUT);
    }

    private static long redisMillis() {
        Response time = redis.send(Request.cmd(Command.TIME)).await().atMost(TIMEOUT);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }
}
