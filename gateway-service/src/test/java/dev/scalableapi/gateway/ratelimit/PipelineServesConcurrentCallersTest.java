package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's case: many decisions in flight at once from each event loop, on the pipelined connection of that
 * loop. Each is answered by Redis (none times out behind another), the count is exact, and each answer comes
 * back on the loop that asked.
 */
class PipelineServesConcurrentCallersTest {

    private static final int PER_LOOP = 200;

    private Vertx vertx;
    private RedisPipeline pipeline;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        pipeline = new RedisPipeline(vertx, new RedisOptions().setConnectionString(Limiters.STANDALONE),
                Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoHundredDecisionsAtOnceFromEachOfTwoLoopsAreExact() throws Exception {
        RedisRateLimiter limiter = new RedisRateLimiter(pipeline, Limiters.uniquePrefix(), null);
        long limit = 150;
        List<Future<List<RateLimitDecision>>> loops = new ArrayList<>();
        for (int loop = 0; loop < 2; loop++) {
            loops.add(burstFrom(((VertxInternal) vertx).createEventLoopContext(), limiter, limit));
        }

        List<RateLimitDecision> all = new ArrayList<>();
        for (Future<List<RateLimitDecision>> loop : loops) {
            all.addAll(loop.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        }

        assertEquals(2 * PER_LOOP, all.size());
        assertTrue(all.stream().allMatch(d -> d.mode() == Mode.REDIS), "every decision came from Redis");
        assertEquals(limit, all.stream().filter(RateLimitDecision::allowed).count());
    }

    /** Fires {@link #PER_LOOP} decisions at once from one event loop; fails if any answer lands elsewhere. */
    private Future<List<RateLimitDecision>> burstFrom(Context context, RedisRateLimiter limiter,
            long limit) {
        Promise<List<RateLimitDecision>> result = Promise.promise();
        context.runOnContext(v -> {
            Thread asking = Thread.currentThread();
            List<Future<RateLimitDecision>> calls = new ArrayList<>();
            for (int i = 0; i < PER_LOOP; i++) {
                calls.add(limiter.acquire("key:burst", "free", Limiters.minute("free", limit, new SlidingWindow(60_000, 1_000))).map(decision -> {
                    if (Thread.currentThread() != asking) {
                        throw new IllegalStateException("answered on " + Thread.currentThread().getName());
                    }
                    return decision;
                }));
            }
            Future.all(calls).map(all -> calls.stream().map(Future::result).toList()).onComplete(result);
        });
        return result.future();
    }
}
