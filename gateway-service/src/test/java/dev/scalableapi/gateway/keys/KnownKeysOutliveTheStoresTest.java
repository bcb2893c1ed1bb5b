package dev.scalableapi.gateway.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.support.LookupSettings;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis lost its copy of a key (a restart) and PostgreSQL is unreachable (here: its pool closed): a key this
 * replica has seen keeps authenticating from its last answer instead of failing every request with 503; a key it
 * never saw still fails, and a revoked key's last answer is gone with it.
 */
class KnownKeysOutliveTheStoresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Vertx vertx;
    private Pool pool;
    private Redis redisClient;
    private ReactiveRedisDataSourceImpl redis;
    private KeyLookup lookup;
    private final String prefix = "test:" + UUID.randomUUID() + ":key:";

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        pool = TestStores.postgres(vertx);
        redisClient = TestStores.redis(vertx);
        redis = new ReactiveRedisDataSourceImpl(vertx, redisClient, RedisAPI.api(redisClient));
        // Local copies that expire at once, so every lookup after the first goes to the stores.
        lookup = new KeyLookup(pool, redis, new ObjectMapper(),
                new LookupSettings(prefix, Duration.ofMillis(1), Duration.ofSeconds(2), "unused"),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        redisClient.close();
        vertx.closeAndAwait();
    }

    @Test
    void aKnownKeyAuthenticatesFromItsLastAnswerWhileNeitherStoreCan() {
        Issued key = TestKeys.active(pool, "pro", "read");
        String hash = ApiKeyFormat.hash(key.key());
        String neverSeen = ApiKeyFormat.hash(ApiKeyFormat.generate("test"));
        KeyRecord loaded = lookup.byHash(hash).await().atMost(TIMEOUT).orElseThrow();
        assertEquals(key.keyId(), loaded.id());

        redis.key().del(prefix + hash).await().atMost(TIMEOUT);
        pool.closeAndAwait();
        await().atMost(TIMEOUT).until(() -> lookup.cached(hash) == null);

        assertEquals(Optional.of(loaded), lookup.byHash(hash).await().atMost(TIMEOUT));
        assertThrows(RuntimeException.class, () -> lookup.byHash(neverSeen).await().atMost(TIMEOUT),
                "a key never seen has no last answer");

        lookup.evict(hash);
        assertThrows(RuntimeException.class, () -> lookup.byHash(hash).await().atMost(TIMEOUT),
                "revocation drops the last answer too");
    }


}
