package dev.scalableapi.gateway.ratelimit;

import static dev.scalableapi.gateway.ratelimit.Limiters.assertBetween;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two limiter instances on two separate Redis connections (two gateway replicas) and 64 concurrent callers
 * fire five times the limit: exactly the limit is admitted, and every admitted request saw a distinct
 * "remaining" value, as if they had queued one behind the other.
 */
class LimitIsExactAcrossReplicasTest {

    static Vertx vertx;
    static Redis clientA;
    static Redis clientB;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        clientA = Limiters.standaloneClient(vertx, Limiters.STANDALONE);
        clientB = Limiters.standaloneClient(vertx, Limiters.STANDALONE);
    }

    @AfterAll
    static void stop() {
        clientA.close();
        clientB.close();
        vertx.closeAndAwait();
    }

    @Test
    void sixtyFourCallersOnTwoReplicasGetExactlyTheLimit() throws Exception {
        String prefix = Limiters.uniquePrefix();
        SlidingWindow window = new SlidingWindow(60_000, 1_000);
        GatewayRateLimiter replicaA = Limiters.exact(clientA, prefix);
        GatewayRateLimiter replicaB = Limiters.exact(clientB, prefix);
        int limit = 50;
        RateLimitPolicies free = Limiters.minute("free", limit, window);

        long before = Instant.now().getEpochSecond();
        List<RateLimitDecision> decisions = fire(64, 5 * limit, i -> Limiters.await((i % 2 == 0 ? replicaA : replicaB)
                .isAllowed("key:exact", "free", free), Duration.ofSeconds(30)));
        long after = Instant.now().getEpochSecond();

        assertEquals(5 * limit, decisions.size());
        for (RateLimitDecision d : decisions) {
            assertEquals(Mode.REDIS, d.mode());
            assertEquals(limit, d.limit());
            assertEquals("free", d.policy());
            assertEquals(60, d.windowSeconds());
            // the oldest request counted leaves the window one window (plus at most one step) after it came
            assertBetween(before + 1, after + 62, d.resetEpochSeconds());
            assertBetween(1, 61, d.resetAfterSeconds());
        }
        List<RateLimitDecision> allowed = decisions.stream().filter(RateLimitDecision::allowed).toList();
        List<RateLimitDecision> limited = decisions.stream().filter(d -> !d.allowed()).toList();
        assertEquals(limit, allowed.size(), "admitted");
        assertEquals(LongStream.range(0, limit).boxed().collect(Collectors.toSet()),
                allowed.stream().map(RateLimitDecision::remaining).collect(Collectors.toSet()),
                "every admitted request saw its own remaining value");
        allowed.forEach(d -> assertEquals(0, d.retryAfterSeconds()));
        assertEquals(4 * limit, limited.size());
        for (RateLimitDecision d : limited) {
            assertEquals(0, d.remaining());
            assertBetween(1, 61, d.retryAfterSeconds());
        }

        // another subject has its own budget, untouched by the flood
        RateLimitDecision other = Limiters.await(replicaB.isAllowed("key:other", "free", free), Duration.ofSeconds(5));
        assertTrue(other.allowed());
        assertEquals(limit - 1, other.remaining());
    }

    interface Call {
        RateLimitDecision apply(int i);
    }

    static List<RateLimitDecision> fire(int callers, int total, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RateLimitDecision>> futures = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(n);
                }));
            }
            go.countDown();
            List<RateLimitDecision> decisions = new ArrayList<>();
            for (Future<RateLimitDecision> f : futures) {
                decisions.add(f.get());
            }
            return decisions;
        } finally {
            pool.shutdownNow();
        }
    }
}
