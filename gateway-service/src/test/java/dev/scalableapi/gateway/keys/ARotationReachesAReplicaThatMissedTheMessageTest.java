package dev.scalableapi.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.accounts.UserSignIns;
import dev.scalableapi.gateway.credentials.CredentialChanges;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import dev.scalableapi.gateway.support.LookupSettings;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.TestStores;
import dev.scalableapi.gateway.support.TestTiers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replica A rotates a key; replica B holds the key's records in process (for a minute here, so nothing expires on
 * its own) and never hears A's message. B's {@link CredentialChanges} read brings every consequence from
 * PostgreSQL (migration V7's trigger records the current and the previous secret of every changed key): the
 * replaced secret's end of grace, the older previous secret's end at a second rotation, an owner's disabling and
 * a revocation reach the records B cached under either secret. Reads are driven by hand here; in the gateway they
 * run every {@code GATEWAY_CREDENTIALS_POLL_INTERVAL} (1 s), which with the grace's end checked at every use keeps
 * the 5 s promise.
 */
class ARotationReachesAReplicaThatMissedTheMessageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Vertx vertx;
    private Pool pool;
    private Redis redisClient;
    private ReactiveRedisDataSourceImpl redis;
    private final String prefix = "test:" + UUID.randomUUID() + ":key:";

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        pool = TestStores.postgres(vertx);
        redisClient = TestStores.redis(vertx);
        redis = new ReactiveRedisDataSourceImpl(vertx, redisClient, RedisAPI.api(redisClient));
    }

    @AfterEach
    void stop() {
        redisClient.close();
        vertx.closeAndAwait();
    }

    @Test
    void everyConsequenceOfARotationReachesTheOtherReplicaFromPostgres() {
        // In-process copies that outlive the test: only forgetting removes them.
        KeysConfig config = new LookupSettings(prefix, Duration.ofMinutes(1), Duration.ofSeconds(5),
                "test:" + prefix + "unheard");
        KeyLookup a = lookup(config);
        KeyLookup b = lookup(config);
        DatabaseDeadline deadline = new DatabaseDeadline(() -> Duration.ofSeconds(5));
        KeyCacheInvalidation fromA = new KeyCacheInvalidation(redis, a, config);
        KeyRotations rotations = new KeyRotations(pool, fromA, deadline);
        KeyRevocations revocations = new KeyRevocations(pool, fromA, deadline);
        CredentialChanges changesOnB = new CredentialChanges(pool, deadline, b,
                new UserSignIns(redis, "test:" + UUID.randomUUID() + ":accounts:"),
                TestTiers.store(pool, TestTiers.policies()),
                () -> Duration.ofSeconds(1));

        Issued key = TestKeys.active(pool, "pro", "read");
        String first = ApiKeyFormat.hash(key.key());
        assertNull(lookupOn(b, first).graceEndsAt());
        changesOnB.poll().await().atMost(TIMEOUT);

        String second = ApiKeyFormat.generate("test");
        assertTrue(rotations.rotate(key.keyId(), second, Duration.ZERO).await().atMost(TIMEOUT));
        assertNull(lookupOn(b, first).refusal(Instant.now()), "B's own copy still says the first secret is current");

        changesOnB.poll().await().atMost(TIMEOUT);
        KeyRecord ended = lookupOn(b, first);
        assertNotNull(ended.graceEndsAt());
        assertEquals(ErrorCode.AUTH_KEY_EXPIRED, ended.refusal(Instant.now()).code());
        KeyRecord current = lookupOn(b, ApiKeyFormat.hash(second));
        assertEquals(key.keyId(), current.id());
        assertNull(current.refusal(Instant.now()));

        String third = ApiKeyFormat.generate("test");
        assertTrue(rotations.rotate(key.keyId(), third, Duration.ofHours(1)).await().atMost(TIMEOUT));
        changesOnB.poll().await().atMost(TIMEOUT);
        assertTrue(b.byHash(first).await().atMost(TIMEOUT).isEmpty(), "one previous secret at a time");
        KeyRecord inGrace = lookupOn(b, ApiKeyFormat.hash(second));
        assertNull(inGrace.refusal(Instant.now()));
        assertTrue(inGrace.graceEndsAt().isAfter(Instant.now().plus(Duration.ofMinutes(59))));

        pool.preparedQuery("update users set status = 'disabled' where id = $1").execute(Tuple.of(key.ownerId()))
                .await().atMost(TIMEOUT);
        changesOnB.poll().await().atMost(TIMEOUT);
        assertTrue(lookupOn(b, ApiKeyFormat.hash(second)).ownerDisabled(), "an owner's change reaches the old secret");
        pool.preparedQuery("update users set status = 'active' where id = $1").execute(Tuple.of(key.ownerId()))
                .await().atMost(TIMEOUT);
        changesOnB.poll().await().atMost(TIMEOUT);
        assertNull(lookupOn(b, ApiKeyFormat.hash(second)).refusal(Instant.now()));

        assertTrue(revocations.revoke(key.keyId()).await().atMost(TIMEOUT));
        changesOnB.poll().await().atMost(TIMEOUT);
        assertEquals(ErrorCode.AUTH_KEY_REVOKED, lookupOn(b, ApiKeyFormat.hash(second)).refusal(Instant.now()).code());
        assertEquals(ErrorCode.AUTH_KEY_REVOKED, lookupOn(b, ApiKeyFormat.hash(third)).refusal(Instant.now()).code());
    }

    private KeyLookup lookup(KeysConfig config) {
        return new KeyLookup(pool, redis, new ObjectMapper().registerModule(new JavaTimeModule()), config,
                new SimpleMeterRegistry());
    }

    private static KeyRecord lookupOn(KeyLookup replica, String hash) {
        return replica.byHash(hash).await().atMost(TIMEOUT).orElseThrow();
    }

}
