package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.gateway.ratelimit.RateLimitConfig.FailureMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collections;
import java.util.function.LongSupplier;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Builds limiters the way the producer does, each on its own Redis client (as separate replicas would). */
final class Limiters {

    static final String STANDALONE = "redis://127.0.0.1:6379";
    /** Where off-loop test calls are sent from; a pipeline's connections live on its event loops. */
    private static final io.vertx.core.Vertx VERTX = io.vertx.core.Vertx.vertx();
    /** The options each test client was built from. */
    private static final Map<Redis, RedisOptions> OPTIONS = Collections.synchronizedMap(new IdentityHashMap<>());

    private Limiters() {
    }

    /** A key prefix no other run or test shares. */
    static String uniquePrefix() {
        String namespace = System.getenv().getOrDefault("TEST_NAMESPACE", "gateway");
        return "test:" + namespace + ":" + UUID.randomUUID() + ":";
    }

    static Redis standaloneClient(Vertx vertx, String url) {
        return client(vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(4096));
    }

    static Redis clusterClient(Vertx vertx, List<Integer> ports) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
                .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(4096);
        ports.forEach(p -> options.addConnectionString("redis://127.0.0.1:" + p));
        return client(vertx, options);
    }

    /** A client for the test's own commands; a pipeline over it opens its own clients from the same options. */
    private static Redis client(Vertx vertx, RedisOptions options) {
        Redis client = Redis.createClient(vertx, options);
        OPTIONS.put(client, options);
        return client;
    }

    static GatewayRateLimiter limiter(Redis redis, String prefix, FailureMode mode,
            Duration timeout, int breakerThreshold, Duration breakerOpen, int expectedReplicas,
            MeterRegistry registry) {
        return limiter(redis, prefix, mode, timeout, breakerThreshold, breakerOpen, expectedReplicas, registry, null);
    }

    /** @param clock the test's clock for Redis and the local fallback alike; null: Redis' TIME and the system's */
    static GatewayRateLimiter limiter(Redis redis, String prefix, FailureMode mode,
            Duration timeout, int breakerThreshold, Duration breakerOpen, int expectedReplicas,
            MeterRegistry registry, LongSupplier clock) {
        LongSupplier local = clock == null ? System::currentTimeMillis : clock;
        return new GatewayRateLimiter(new RedisRateLimiter(pipeline(redis, timeout), prefix, clock),
                new LocalRateLimiter(() -> expectedReplicas, 10_000, local),
                new RedisBreaker(breakerThreshold, breakerOpen.toMillis(), System::currentTimeMillis),
                mode, local, registry);
    }

    /** One minute policy named {@code name} over {@code window} (the shape gateway.ratelimit.window sets). */
    static RateLimitPolicies minute(String name, long limit, SlidingWindow window) {
        return RateLimitPolicies.of(List.of(new RateLimitPolicy(name, PolicyWindow.MINUTE, limit)), window);
    }

    /** Policies from {@code [name:]window:limit, …}, the minute window 60 s in 1 s steps. */
    static RateLimitPolicies policies(String spec) {
        return RateLimitPolicies.of(TierPolicies.parse("test", spec), new SlidingWindow(60_000, 1_000));
    }

    /** The limiter's pipelined connections over a test client (as the producer builds them). */
    static RedisPipeline pipeline(Redis redis) {
        return pipeline(redis, Duration.ofSeconds(10));
    }

    static RedisPipeline pipeline(Redis redis, Duration timeout) {
        return new RedisPipeline(VERTX, OPTIONS.get(redis), timeout);
    }

    /** Waits for a decision (tests call from their own threads). */
    static <T> T await(Future<T> decision, Duration atMost) {
        try {
            return decision.toCompletionStage().toCompletableFuture().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A limiter with a generous timeout, for exactness under a loaded test machine. */
    static GatewayRateLimiter exact(Redis redis, String prefix) {
        return exact(redis, prefix, null);
    }

    static GatewayRateLimiter exact(Redis redis, String prefix, LongSupplier clock) {
        return limiter(redis, prefix, FailureMode.FAIL_CLOSED, Duration.ofSeconds(10), 3,
                Duration.ofSeconds(1), 1, new SimpleMeterRegistry(), clock);
    }

    static void assertBetween(long low, long high, long actual) {
        org.junit.jupiter.api.Assertions.assertTrue(actual >= low && actual <= high,
                "expected " + actual + " within [" + low + ", " + high + "]");
    }
}
