package dev.scalableapi.gateway.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.support.LookupSettings;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The revocation race (issue 14, point 12): a lookup reads the key's row while it is still active, the key is
 * revoked and forgotten from every cache, then the lookup finishes. It must not write its now stale answer back
 * into this replica's cache or into Redis, where it would authenticate the revoked key until the entries expire.
 * The lookup is held between its read and its writes by a lock on {@code users} (its query joins it); the row is
 * left active, so that the lookup surely reads the key as active.
 */
class ALookupUnderWayDoesNotRecacheAForgottenKeyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Vertx vertx;
    private Pool pool;
    private Pool lockingPool;
    private Redis redisClient;
    private ReactiveRedisDataSourceImpl redis;
    private KeyLookup lookup;
    private final String prefix = "test:" + UUID.randomUUID() + ":key:";

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        pool = TestStores.postgres(vertx);
        lockingPool = TestStores.postgres(vertx);
        redisClient = TestStores.redis(vertx);
        redis = new ReactiveRedisDataSourceImpl(vertx, redisClient, RedisAPI.api(redisClient));
        // A database timeout far beyond the test's lock, so the held lookup waits instead of giving up.
        lookup = new KeyLookup(pool, redis, new ObjectMapper(),
                new LookupSettings(prefix, Duration.ofSeconds(60), Duration.ofSeconds(30), "unused"),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        redisClient.close();
        vertx.closeAndAwait();
    }

    @Test
    void aLookupThatReadTheKeyBeforeItWasForgottenCachesNothing() {
        Issued key = TestKeys.active(pool, "pro", "read");
        String hash = ApiKeyFormat.hash(key.key());

        SqlConnection locker = lockingPool.getConnection().await().atMost(TIMEOUT);
        Transaction lock = locker.begin().await().atMost(TIMEOUT);
        CompletableFuture<Optional<KeyRecord>> underWay;
        try {
            locker.query("lock table users in access exclusive mode").execute().await().atMost(TIMEOUT);
            underWay = lookup.byHash(hash).subscribeAsCompletionStage();
            await("the lookup waits for the database").atMost(TIMEOUT)
                    .until(() -> locker.query("""
                            select count(*) from pg_locks where not granted and relation = 'users'::regclass
                            and database = (select oid from pg_database where datname = current_database())""")
                            .execute().await().atMost(TIMEOUT).iterator().next().getLong(0) > 0);
            lookup.forget(hash).await().atMost(TIMEOUT);
        } finally {
            lock.rollback().await().atMost(TIMEOUT);
            locker.close().await().atMost(TIMEOUT);
        }

        Optional<KeyRecord> answered = underWay.join();
        assertEquals(key.keyId(), answered.orElseThrow().id(), "the lookup under way answered its own request");
        assertFalse(answered.get().revoked());
        assertNull(lookup.cached(hash), "this replica's cache");
        assertNull(redis.value(String.class).get(prefix + hash).await().atMost(TIMEOUT), "the Redis copy");

        // a lookup that starts after the key was forgotten caches again as usual (in process; Redis keeps the
        // tombstone for the Redis TTL)
        lookup.byHash(hash).await().atMost(TIMEOUT);
        assertTrue(lookup.cached(hash) != null && lookup.cached(hash).isPresent());
    }

}
