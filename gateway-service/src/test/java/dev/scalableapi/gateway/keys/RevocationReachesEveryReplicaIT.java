package dev.scalableapi.gateway.keys;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import dev.scalableapi.gateway.support.EchoUpstream;
import dev.scalableapi.gateway.support.GatewayReplica;
import dev.scalableapi.gateway.support.LookupSettings;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas from the packaged jar (separate JVMs, same PostgreSQL and Redis), a key warm in both
 * replicas' in-process caches, then the real {@link KeyRevocations} (built here on the same database and Redis)
 * revokes it: both replicas refuse it with AUTH_KEY_REVOKED within the promised 5 s — and well before their
 * in-process copies would have expired on their own, which only the revocation message can achieve. The same for
 * the real {@link KeyRotations}: a replaced secret works on both replicas until its grace ends and is refused by
 * both from then on (within 5 s, to the clock in fact); with a grace of 0, at once.
 *
 * <p>Runs in {@code verify} (failsafe); logs in {@code target/gateway-replica-{a,b}.log}.
 */
class RevocationReachesEveryReplicaIT {

    /** The promise: a revoked key, or a replaced secret past its grace, is refused everywhere within 5 s. */
    private static final Duration PROMISE = Duration.ofSeconds(5);
    /** The local TTL is 5 s: a refusal this soon after revoking came from the eviction message, not expiry. */
    private static final Duration WELL_BEFORE_LOCAL_EXPIRY = Duration.ofMillis(2500);

    private static EchoUpstream upstream;
    private static GatewayReplica a;
    private static GatewayReplica b;
    private static Vertx vertx;
    private static Pool pool;
    private static Redis redisClient;
    private static KeyRevocations revocations;
    private static KeyRotations rotations;

    @BeforeAll
    static void start() {
        upstream = EchoUpstream.start("it-upstream");
        a = GatewayReplica.start("gateway-replica-a", upstream.asBalancer(), List.of());
        a.awaitReady();
        b = GatewayReplica.start("gateway-replica-b", upstream.asBalancer(), List.of());
        b.awaitReady();

        vertx = Vertx.vertx();
        pool = TestStores.postgres(vertx);
        redisClient = TestStores.redis(vertx);
        var redis = new ReactiveRedisDataSourceImpl(vertx, redisClient, RedisAPI.api(redisClient));
        // the replicas' own settings (production defaults), so revocations reach their caches and channel
        KeysConfig defaults = new LookupSettings("scalable-api:key:", Duration.ofSeconds(5), Duration.ofSeconds(2),
                "scalable-api:key-revocations");
        KeyCacheInvalidation invalidation = new KeyCacheInvalidation(redis,
                new KeyLookup(pool, redis, new ObjectMapper(), defaults, new SimpleMeterRegistry()), defaults);
        DatabaseDeadline deadline = new DatabaseDeadline(() -> Duration.ofSeconds(2));
        revocations = new KeyRevocations(pool, invalidation, deadline);
        rotations = new KeyRotations(pool, invalidation, deadline);
        // both replicas listen on the revocation channel (they subscribe right after start)
        await("replicas subscribed").atMost(Duration.ofSeconds(20)).until(() -> subscribers(redis) >= 2);
    }

    @AfterAll
    static void stop() {
        for (GatewayReplica replica : new GatewayReplica[] {a, b}) {
            if (replica != null) {
                replica.stop();
            }
        }
        if (redisClient != null) {
            redisClient.close();
        }
        if (pool != null) {
            pool.closeAndAwait();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aRevokedKeyIsRefusedByEveryReplicaAtOnce() {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        // warm: A reads PostgreSQL (and fills Redis), B reads Redis; both now hold it in process for 5 s
        for (GatewayReplica replica : List.of(a, b)) {
            call(replica, key).then().statusCode(200);
            call(replica, key).then().statusCode(200);
        }

        long revokedAt = System.nanoTime();
        assertTrue(revocations.revoke(key.keyId()).await().atMost(Duration.ofSeconds(10)), "the key was active");

        await("both replicas refuse the revoked key").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> refusedAsRevoked(a, key) && refusedAsRevoked(b, key));
        Duration took = Duration.ofNanos(System.nanoTime() - revokedAt);
        assertTrue(took.compareTo(WELL_BEFORE_LOCAL_EXPIRY) < 0,
                "refused after " + took.toMillis() + " ms: the replicas waited for their local copies to expire");

        // and it stays refused (nothing re-caches the old, active record)
        for (GatewayReplica replica : List.of(a, b)) {
            assertTrue(refusedAsRevoked(replica, key));
        }
        assertEquals(Boolean.FALSE, revocations.revoke(key.keyId()).await().atMost(Duration.ofSeconds(10)),
                "revoking twice reports that the key was no longer active");
    }

    @Test
    void aRotatedOutSecretWorksOnEveryReplicaUntilItsGraceEndsThenIsRefused() {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        for (GatewayReplica replica : List.of(a, b)) {
            call(replica, key.key()).then().statusCode(200);
        }
        String fresh = ApiKeyFormat.generate("test");
        assertTrue(rotations.rotate(key.keyId(), fresh, Duration.ofSeconds(10)).await()
                .atMost(Duration.ofSeconds(10)));
        Instant graceEnds = pool.preparedQuery("select previous_key_expires_at from api_keys where id = $1")
                .execute(Tuple.of(key.keyId())).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getOffsetDateTime(0).toInstant();

        for (GatewayReplica replica : List.of(a, b)) {
            call(replica, fresh).then().statusCode(200);
            while (true) {
                Instant sent = Instant.now();
                Response answer = call(replica, key.key());
                Instant answered = Instant.now();
                if (answer.statusCode() == 200) {
                    // the replica decided between sent and answered: before the grace's end
                    assertTrue(sent.isBefore(graceEnds), "accepted after the grace ended");
                    assertTrue(answered.isBefore(graceEnds.plus(PROMISE)), "accepted 5 s after the grace ended");
                    continue;
                }
                answer.then().statusCode(401).body("error.code", equalTo("AUTH_KEY_EXPIRED"));
                assertTrue(!answered.isBefore(graceEnds), "refused before the grace ended");
                break;
            }
        }
    }

    @Test
    void aGraceOfZeroEndsTheOldSecretOnEveryReplicaAtOnce() {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        for (GatewayReplica replica : List.of(a, b)) {
            call(replica, key.key()).then().statusCode(200);
            call(replica, key.key()).then().statusCode(200);
        }
        long rotatedAt = System.nanoTime();
        String fresh = ApiKeyFormat.generate("test");
        assertTrue(rotations.rotate(key.keyId(), fresh, Duration.ZERO).await().atMost(Duration.ofSeconds(10)));
        await("both replicas refuse the replaced secret").atMost(PROMISE).pollInterval(Duration.ofMillis(50))
                .until(() -> expired(a, key.key()) && expired(b, key.key()));
        Duration took = Duration.ofNanos(System.nanoTime() - rotatedAt);
        assertTrue(took.compareTo(WELL_BEFORE_LOCAL_EXPIRY) < 0,
                "refused after " + took.toMillis() + " ms: the replicas waited for their local copies to expire");
        for (GatewayReplica replica : List.of(a, b)) {
            call(replica, fresh).then().statusCode(200);
        }
    }

    private static boolean expired(GatewayReplica replica, String key) {
        Response response = call(replica, key);
        return response.statusCode() == 401 && "AUTH_KEY_EXPIRED".equals(response.path("error.code"));
    }

    private static Response call(GatewayReplica replica, String key) {
        return RestAssured.given().baseUri(replica.baseUri()).header("X-API-Key", key).get("/api/v1/things");
    }

    private static boolean refusedAsRevoked(GatewayReplica replica, Issued key) {
        Response response = call(replica, key);
        return response.statusCode() == 401 && "AUTH_KEY_REVOKED".equals(response.path("error.code"));
    }

    private static Response call(GatewayReplica replica, Issued key) {
        return call(replica, key.key());
    }

    private static long subscribers(ReactiveRedisDataSourceImpl redis) {
        var reply = redis.execute("PUBSUB", "NUMSUB", "scalable-api:key-revocations").await()
                .atMost(Duration.ofSeconds(5));
        return reply.get(1).toLong();
    }
}
