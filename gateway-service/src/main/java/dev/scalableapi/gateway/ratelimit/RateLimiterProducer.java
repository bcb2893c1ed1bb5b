package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.gateway.ratelimit.RateLimitTarget.TierLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.client.RedisClientName;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Wires the limiter from {@link RateLimitConfig} and the settings of Quarkus' named Redis client
 * {@code ratelimit} (single server or cluster, as {@code quarkus.redis.ratelimit.client-type} says), from which
 * the pipeline opens one connection per event loop.
 */
@ApplicationScoped
public class RateLimiterProducer {

    /** {@code built} is asked for so that Quarkus builds the named client, and hands its options over on the way. */
    @Produces
    @Singleton
    RedisPipeline pipeline(Vertx vertx, @RedisClientName(RateLimitRedisOptions.CLIENT_NAME) Redis built,
            RateLimitRedisOptions options, RateLimitConfig config) {
        return new RedisPipeline(vertx, options.options(), config.redisTimeout());
    }

    void close(@Disposes RedisPipeline pipeline) {
        pipeline.close();
    }

    @Produces
    @Singleton
    GatewayRateLimiter limiter(RedisPipeline pipeline, RateLimitConfig config, MeterRegistry registry) {
        SlidingWindow window = SlidingWindow.of(config.window(), config.buckets());
        return new GatewayRateLimiter(
                new RedisSlidingWindowLimiter(pipeline, window, config.keyPrefix()),
                new LocalSlidingWindowLimiter(window, config.localFallback().expectedReplicas(),
                        config.localFallback().maxSubjects(), System::currentTimeMillis),
                new RedisBreaker(config.breaker().failureThreshold(), config.breaker().openDuration().toMillis(),
                        System::currentTimeMillis),
                config.failureMode(), window, System::currentTimeMillis, registry);
    }

    @Produces
    @Singleton
    TierLimits tierLimits(RateLimitConfig config) {
        return TierLimits.of(config.tiers());
    }
}
