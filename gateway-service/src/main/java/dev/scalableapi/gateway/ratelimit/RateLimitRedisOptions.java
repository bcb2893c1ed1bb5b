package dev.scalableapi.gateway.ratelimit;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;

/**
 * The options Quarkus builds for its named Redis client {@code ratelimit} (hosts, client type, password, TLS,
 * pool), kept so that the {@link RedisPipeline} can open one client of its own per event loop with the same
 * settings.
 */
@Singleton
public class RateLimitRedisOptions implements RedisOptionsCustomizer {

    static final String CLIENT_NAME = "ratelimit";

    private volatile RedisOptions options;

    @Override
    public void customize(String clientName, RedisOptions built) {
        if (CLIENT_NAME.equals(clientName)) {
            options = new RedisOptions(built);
        }
    }

    /** The named client's options; Quarkus builds the client (and calls the customizer) before injecting it. */
    RedisOptions options() {
        if (options == null) {
            throw new IllegalStateException("Quarkus has not built the '" + CLIENT_NAME + "' Redis client");
        }
        return options;
    }
}
