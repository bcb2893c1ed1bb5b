package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Decisions an event loop asks for while it handles one turn go to Redis as one pipelined write, so Redis reads
 * them in a few reads instead of one each; they stay exact, and a script cache flushed in between is recovered
 * for every call of the batch.
 */
class DecisionsOfOneLoopTurnShareOneWriteTest {

    private static final int CALLS = 200;

    private RedisServers servers;
    private int port;
    private Vertx vertx;
    private RedisPipeline pipeline;
    private RedisRateLimiter limiter;

    @BeforeEach
    void start() {
        servers = new RedisServers();
        port = RedisServers.freePort();
        servers.standalone(port);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        pipeline = new RedisPipeline(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port),
                Duration.ofSeconds(5));
        limiter = new RedisRateLimiter(pipeline, Limiters.uniquePrefix(), null);
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        servers.close();
    }

    @Test
    void twoHundredDecisionsOfOneTurnAreReadByRedisInAFewReads() throws Exception {
        assertEquals(1, burst("key:warm", 1, 5).stream().filter(RateLimitDecision::allowed).count(),
                "connected, script loaded");
        long readsBefore = readsProcessed();

        List<RateLimitDecision> decisions = burst("key:burst", CALLS, 150);

        long reads = readsProcessed() - readsBefore;
        assertTrue(reads <= 8, CALLS + " decisions took " + reads + " reads by Redis");
        assertTrue(decisions.stream().allMatch(d -> d.mode() == Mode.REDIS), "every decision came from Redis");
        assertEquals(150, decisions.stream().filter(RateLimitDecision::allowed).count());
    }

    @Test
    void aBatchThatMetAnEmptyScriptCacheIsSentAgainWithTheScript() throws Exception {
        burst("key:warm", 1, 5);
        RedisServers.run(List.of("redis-cli", "-p", Integer.toString(port), "script", "flush"));

        List<RateLimitDecision> decisions = burst("key:after-flush", 50, 30);

        assertTrue(decisions.stream().allMatch(d -> d.mode() == Mode.REDIS), "every decision came from Redis");
        assertEquals(30, decisions.stream().filter(RateLimitDecision::allowed).count(), "counted once each");
    }

    /** Asks for {@code calls} decisions in one turn of the event loop and waits for all of them. */
    private List<RateLimitDecision> burst(String subject, int calls, long limit) throws Exception {
        Promise<List<RateLimitDecision>> result = Promise.promise();
        ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> {
            RateLimitPolicies policies = Limiters.minute("free", limit, new SlidingWindow(60_000, 1_000));
            List<Future<RateLimitDecision>> asked = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                asked.add(limiter.acquire(subject, "free", policies));
            }
            Future.all(asked).map(all -> asked.stream().map(Future::result).toList()).onComplete(result);
        });
        return result.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private long readsProcessed() {
        String stats = RedisServers.run(List.of("redis-cli", "-p", Integer.toString(port), "info", "stats"));
        Matcher m = Pattern.compile("total_reads_processed:(\\d+)").matcher(stats);
        assertTrue(m.find(), stats);
        return Long.parseLong(m.group(1));
    }
}
