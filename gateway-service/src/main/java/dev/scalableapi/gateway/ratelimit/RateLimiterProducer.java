package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.gateway.fleet.GatewayHeartbeats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

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
    GatewayRateLimiter limiter(RedisPipeline pipeline, RateLimitConfig config, GatewayHeartbeats heartbeats,
            RateLimitClock testClock, MeterRegistry registry) {
        LongSupplier clock = config.testClock() ? testClock::millis : System::currentTimeMillis;
        IntSupplier gateways = fallbackDivisor(heartbeats, config.localFallback().expectedReplicas());
        Gauge.builder("gateway.ratelimit.fallback.gateways", gateways::getAsInt)
                .description("Gateway replicas the local fallback divides each limit by while Redis is down")
                .register(registry);
        return new GatewayRateLimiter(
                new RedisRateLimiter(pipeline, config.keyPrefix(), config.testClock() ? clock : null),
                new LocalRateLimiter(gateways, config.localFallback().maxSubjects(), clock),
                new RedisBreaker(config.breaker().failureThreshold(), config.breaker().openDuration().toMillis(),
                        System::currentTimeMillis),
                config.failureMode(), clock, registry);
    }

    /**
     * The gateways alive at the last heartbeat this replica saw while Redis answered, else (no heartbeat seen yet,
     * e.g. started during the outage) the configured minimum; never below 1. Why the last count seen rather than
     * the minimum: with the minimum, a fleet scaled out to N admits N / minimum times the limit while Redis is down
     * (10 gateways on a minimum of 2: five times). The last count is right for as long as the fleet keeps its size;
     * replicas removed during the outage make the others under-admit (safe), replicas added during it divide by the
     * minimum and over-admit, which no replica can know about without Redis.
     */
    static IntSupplier fallbackDivisor(GatewayHeartbeats heartbeats, int configuredMinimum) {
        int minimum = Math.max(1, configuredMinimum);
        return () -> heartbeats.liveGateways().orElse(minimum);
    }

    /** Built at start, so a malformed policy property stops the gateway instead of failing its first request. */
    @Produces
    @Singleton
    @Startup
    TierPolicies tierPolicies(RateLimitConfig config) {
        return TierPolicies.of(config);
    }
}
