package dev.scalableapi.gateway.support;

import dev.scalableapi.testsupport.SecuredRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points every Redis client of the gateway at a private {@link SecuredRedis} that speaks only TLS and requires a
 * password, through the environment variables an operator sets (REDIS_URL, REDIS_PASSWORD, REDIS_TLS_CA), so that
 * application.properties' wiring of both clients is what is tested. Tests reach the server through {@link #redis()}.
 */
public class SecuredRedisResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SecuredRedis redis;

    public static SecuredRedis redis() {
        if (redis == null) {
            throw new IllegalStateException("SecuredRedisResource is not started for this test");
        }
        return redis;
    }

    @Override
    public Map<String, String> start() {
        redis = SecuredRedis.withPasswordAndTls();
        return Map.of("REDIS_URL", redis.url("127.0.0.1"), "REDIS_PASSWORD", redis.password(),
                "REDIS_TLS_CA", redis.caFile().toString());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
