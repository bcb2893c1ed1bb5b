package dev.scalableapi.api.cache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Every cache command goes through here: a short timeout and a circuit breaker, so that when Redis is down a
 * request pays at most one timeout until the breaker opens, then nothing (Spring Cloud Gateway's users learned
 * that the hard way). Callers treat a failure as "not cached".
 */
@ApplicationScoped
public class GuardedRedis {

    public static final String BREAKER = "redis-cache";

    private final ReactiveRedisDataSource redis;

    GuardedRedis(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Timeout(200)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 2000, successThreshold = 2)
    @CircuitBreakerName(BREAKER)
    public Uni<Response> send(String command, String... args) {
        return redis.execute(command, args);
    }
}
