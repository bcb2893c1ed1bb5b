package dev.scalableapi.gateway.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import dev.scalableapi.gateway.support.EchoUpstream;
import dev.scalableapi.gateway.support.GatewayReplica;
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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas from the packaged jar (separate JVMs, same PostgreSQL and Redis), a key warm in both
 * replicas' in-process caches, then the real {@link KeyRevocations} (built here on the same database and Redis)
 * revokes it: both replicas refuse it with AUTH_KEY_REVOKED within the promised 5 s — and well before their
 * in-process copies would have expired on their own, which only the revocation message can achieve.
 *
 * <p>Runs in {@code verify} (failsafe); logs in {@code target/gateway-replica-{a,b}.log}.
 */
class RevocationReachesEveryReplicaIT {

    /** The local TTL is 5 s: a refusal this soon after revoking came from the eviction message, not expiry. */
    private static final Duration WELL_BEFORE_LOCAL_EXPIRY = Duration.ofMillis(2500);

    private static EchoUpstream upstream;
    private static GatewayReplica a;
    private static GatewayReplica b;
    private static Vertx vertx;
    private static Pool pool;
    private static Redis redisClient;
    private static KeyRevocations revocations;

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
        KeysConfig defaults = new KeysConfig() {
            @Override
            public String environment() {
                return "test";
            }

            @Override
            public Duration localTtl() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration redisTtl() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration staleTtl() {
                return Duration.ofHours(1);
            }

            @Override
            public Duration databaseTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public String redisPrefix() {
                return "scalable-api:key:";
            }

            @Override
            public String revocationChannel() {
                return "scalable-api:key-revocations";
            }
        };
        revocations = new KeyRevocations(pool, new KeyCacheInvalidation(redis,
                new KeyLookup(pool, redis, new ObjectMapper(), defaults, new SimpleMeterRegistry()), defaults),
                new DatabaseDeadline(() -> Duration.ofSeconds(2)));
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

    private static boolean refusedAsRevoked(GatewayReplica replica, Issued key) {
        Response response = call(replica, key);
        return response.statusCode() == 401 && "AUTH_KEY_REVOKED".equals(response.path("error.code"));
    }

    private static Response call(GatewayReplica replica, Issued key) {
        return RestAssured.given().baseUri(replica.baseUri()).header("X-API-Key", key.key()).get("/api/v1/things");
    }

    private static long subscribers(ReactiveRedisDataSourceImpl redis) {
        var reply = redis.execute("PUBSUB", "NUMSUB", "scalable-api:key-revocations").await()
                .atMost(Duration.ofSeconds(5));
        return reply.get(1).toLong();
    }
}
