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
 * <p>
 * The timeout is measured on the replica's own event loop, so it also fires when that loop is behind rather than
 * Redis: at 200 ms and a 10-call window the breaker opened dozens of times a minute under the drills' load on two
 * shared cores, with Redis healthy; at 500 ms a quarter as often in the same local run (56 transitions against 220
 * over three replicas in two minutes, on an even busier machine). The window is 20 calls for the same reason.
 */
@ApplicationScoped
public class GuardedRedis {

    public static final String BREAKER = "redis-cache";

    private final ReactiveRedisDataSource redis;

    GuardedRedis(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Timeout(500)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 2)
    @CircuitBreakerName(BREAKER)
    public Uni<Response> send(String command, String... args) {
        return redis.execute(command, args);
    }
}
