package dev.scalableapi.gateway.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.ratelimit.RateLimitConfig.FailureMode;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stops answering (a private redis-server frozen with SIGSTOP: connections hang, as behind a dead
 * network) or is not there at all (a closed port). The breaker opens after a few timeouts, then decisions no
 * longer wait for Redis; the failure mode decides, and the metrics say which. When Redis answers again the
 * limiter is exact again by itself.
 */
class RedisOutageFallsBackAndRecoversTest {

    static final SlidingWindow WINDOW = new SlidingWindow(60_000, 1_000);
    static final Duration TIMEOUT = Duration.ofMillis(400);
    static final Duration WAIT = Duration.ofSeconds(20);
    static Vertx vertx;
    static RedisServers servers;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        servers = new RedisServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
        vertx.closeAndAwait();
    }

    @Test
    void frozenRedisFallsBackToTheLocalLimiterFastAndRecovers() {
        int port = RedisServers.freePort();
        Process server = servers.standalone(port);
        Redis client = Limiters.standaloneClient(vertx, "redis://127.0.0.1:" + port);
        MeterRegistry metrics = new SimpleMeterRegistry();
        GatewayRateLimiter limiter = Limiters.limiter(client, Limiters.uniquePrefix(),
                FailureMode.LOCAL_FALLBACK, TIMEOUT, 2, Duration.ofSeconds(2), 1, metrics);
        int limit = 5;
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(Mode.REDIS, decide(limiter, "key:before", limit).mode());
            }
            assertEquals(0.0, gauge(metrics));

            servers.pause(server);
            await().atMost(WAIT).until(() -> decide(limiter, "key:during", limit).mode() == Mode.LOCAL
                    && limiter.fallbackActive());
            assertEquals(1.0, gauge(metrics));
            assertTrue(errors(metrics) >= 2, "the failed calls are counted");

            // breaker open: decisions come from memory without paying the Redis timeout
            List<RateLimitDecision> outage = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                outage.add(decideQuickly(limiter, "key:outage", limit));
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMillis < TIMEOUT.toMillis(),
                    "ten decisions with the breaker open took " + elapsedMillis + " ms");
            assertTrue(outage.stream().allMatch(d -> d.mode() == Mode.LOCAL));
            assertEquals(Math.min(limit, outage.size()), outage.stream().filter(RateLimitDecision::allowed).count(),
                    "the local limiter still enforces the limit");
            assertTrue(decisions(metrics, "local", "limited") >= outage.size() - limit);

            servers.resume(server);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> decide(limiter, "key:probe", limit).mode() == Mode.REDIS);
            assertFalse(limiter.fallbackActive());
            assertEquals(0.0, gauge(metrics));

            // exact again, and Redis still holds what it counted before the outage
            List<RateLimitDecision> after = new ArrayList<>();
            for (int i = 0; i < 2 * limit; i++) {
                after.add(decide(limiter, "key:after", limit));
            }
            assertTrue(after.stream().allMatch(d -> d.mode() == Mode.REDIS));
            assertEquals(limit, after.stream().filter(RateLimitDecision::allowed).count());
            RateLimitDecision before = decide(limiter, "key:before", limit);
            assertEquals(Mode.REDIS, before.mode());
            assertEquals(limit - 4, before.remaining());
            assertTrue(decisions(metrics, "redis", "allowed") >= 3 + limit + 1);
        } finally {
            client.close();
            servers.kill(server);
        }
    }

    @Test
    void localFallbackSharesTheLimitAmongExpectedReplicas() {
        GatewayRateLimiter limiter = Limiters.limiter(deadClient(), Limiters.uniquePrefix(),
                FailureMode.LOCAL_FALLBACK, TIMEOUT, 1, Duration.ofSeconds(30), 4, new SimpleMeterRegistry());
        long allowed = 0;
        for (int i = 0; i < 20; i++) {
            RateLimitDecision d = decide(limiter, "user:9", 10);
            assertEquals(Mode.LOCAL, d.mode());
            assertEquals(3, d.limit(), "ceil(10 / 4 replicas)");
            allowed += d.allowed() ? 1 : 0;
        }
        assertEquals(3, allowed);
    }

    @Test
    void failOpenAdmitsEverythingAndCountsIt() {
        MeterRegistry metrics = new SimpleMeterRegistry();
        GatewayRateLimiter limiter = Limiters.limiter(deadClient(), Limiters.uniquePrefix(),
                FailureMode.FAIL_OPEN, TIMEOUT, 1, Duration.ofSeconds(30), 1, metrics);
        for (int i = 0; i < 10; i++) {
            RateLimitDecision d = decide(limiter, "ip:192.0.2.1", 3);
            assertTrue(d.allowed());
            assertEquals(Mode.FAIL_OPEN, d.mode());
        }
        assertEquals(10.0, decisions(metrics, "fail_open", "allowed"));
        assertTrue(errors(metrics) >= 1);
        assertEquals(1.0, gauge(metrics));
    }

    @Test
    void failClosedRefusesEverythingWithARetryAfter() {
        MeterRegistry metrics = new SimpleMeterRegistry();
        GatewayRateLimiter limiter = Limiters.limiter(deadClient(), Limiters.uniquePrefix(),
                FailureMode.FAIL_CLOSED, TIMEOUT, 1, Duration.ofSeconds(30), 1, metrics);
        for (int i = 0; i < 5; i++) {
            RateLimitDecision d = decide(limiter, "ip:192.0.2.2", 3);
            assertFalse(d.allowed());
            assertEquals(Mode.FAIL_CLOSED, d.mode());
            assertTrue(d.retryAfterSeconds() >= 1);
        }
        assertEquals(5.0, decisions(metrics, "fail_closed", "limited"));
    }

    /** A client for a port nothing listens on. */
    private static Redis deadClient() {
        return Limiters.standaloneClient(vertx, "redis://127.0.0.1:" + RedisServers.freePort());
    }

    private static RateLimitDecision decide(GatewayRateLimiter limiter, String subject, int limit) {
        return Limiters.await(limiter.isAllowed(subject, "free", Limiters.minute("free", limit, WINDOW)),
                Duration.ofSeconds(10));
    }

    private static RateLimitDecision decideQuickly(GatewayRateLimiter limiter, String subject, int limit) {
        return Limiters.await(limiter.isAllowed(subject, "free", Limiters.minute("free", limit, WINDOW)), TIMEOUT);
    }

    private static double gauge(MeterRegistry metrics) {
        return metrics.get("gateway.ratelimit.fallback.active").gauge().value();
    }

    private static double errors(MeterRegistry metrics) {
        return metrics.get("gateway.ratelimit.redis.errors").counter().count();
    }

    private static double decisions(MeterRegistry metrics, String mode, String outcome) {
        return metrics.find("gateway.ratelimit.decisions").tags("mode", mode, "outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
