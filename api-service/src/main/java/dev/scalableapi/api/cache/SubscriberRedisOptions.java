package dev.scalableapi.api.cache;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;

/**
 * The options Quarkus builds for its default Redis client (hosts, password, TLS), kept so that the
 * {@link CacheInvalidationBus}'s own subscriber client connects and authenticates exactly as the cache does.
 */
@Singleton
public class SubscriberRedisOptions implements RedisOptionsCustomizer {

    private volatile RedisOptions options;

    @Override
    public void customize(String clientName, RedisOptions built) {
        if (RedisConfig.isDefaultClient(clientName)) {
            options = new RedisOptions(built);
        }
    }

    /** A copy of the default client's options; Quarkus builds its clients at start, before any startup observer. */
    RedisOptions options() {
        if (options == null) {
            throw new IllegalStateException("Quarkus has not built the default Redis client");
        }
        return new RedisOptions(options);
    }
}
