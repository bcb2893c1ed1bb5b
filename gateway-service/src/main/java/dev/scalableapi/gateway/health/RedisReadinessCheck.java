package dev.scalableapi.gateway.health;

import dev.scalableapi.gateway.ratelimit.RateLimitConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports Redis in readiness. Redis down makes the gateway unready only when the rate limiter is configured to
 * fail closed (it cannot serve without Redis then); with the local fallback or fail-open the gateway keeps
 * serving in degraded mode — taking every replica out of its Service at once would turn a Redis outage into a
 * full outage.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements io.smallrye.health.api.AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;
    private final boolean required;

    RedisReadinessCheck(ReactiveRedisDataSource redis, RateLimitConfig rateLimit) {
        this.redis = redis;
        this.required = rateLimit.failureMode() == RateLimitConfig.FailureMode.FAIL_CLOSED;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem().after(Duration.ofMillis(500)).fail()
                .map(pong -> HealthCheckResponse.named("redis").up().build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("redis")
                        .status(!required)
                        .withData("reachable", false)
                        .withData("degraded", true)
                        .build());
    }
}
