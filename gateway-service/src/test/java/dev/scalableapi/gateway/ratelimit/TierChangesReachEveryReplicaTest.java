package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.accounts.UserSignIns;
import dev.scalableapi.gateway.credentials.CredentialChanges;
import dev.scalableapi.gateway.keys.ReplicaLookups;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.LookupSettings;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestStores;
import dev.scalableapi.gateway.support.TestTiers;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import dev.scalableapi.gateway.tiers.TierStore;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tier's change reaches every gateway within 5 s (issue 16, point 4), against real PostgreSQL and Redis. Replica A
 * is this test's gateway; replica B is built by hand on its own Vert.x, pool and Redis clients: its own
 * {@link TierPolicies}, {@link TierStore} and {@link CredentialChanges}, read every second as the gateway's scheduler
 * does ({@code GATEWAY_CREDENTIALS_POLL_INTERVAL}). A PUT on A is enforced by B's limiter; a change B writes is
 * enforced by A's pipeline on the next requests of a key of the tier.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class TierChangesReachEveryReplicaTest {

    private static final Duration PROMISE = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    Pool poolOfA;
    @Inject
    TierStore storeOfA;
    @Inject
    TierPolicies tiersOfA;

    private Vertx vertx;
    private Redis redisClient;
    private TierPolicies tiersOfB;
    private TierStore storeOfB;
    private CredentialChanges changesOfB;
    private Map<String, List<RateLimitPolicy>> before;

    @BeforeEach
    void startReplicaB() {
        before = new LinkedHashMap<>(tiersOfA.tiers());
        vertx = Vertx.vertx();
        Pool pool = TestStores.postgres(vertx);
        redisClient = TestStores.redis(vertx);
        ReactiveRedisDataSourceImpl redis = new ReactiveRedisDataSourceImpl(vertx, redisClient,
                RedisAPI.api(redisClient));
        String prefix = "test:" + UUID.randomUUID() + ":";
        tiersOfB = TestTiers.policies();
        storeOfB = TestTiers.store(pool, tiersOfB);
        DatabaseDeadline deadline = new DatabaseDeadline(() -> Duration.ofSeconds(5));
        changesOfB = new CredentialChanges(pool, deadline,
                ReplicaLookups.lookup(pool, redis, new LookupSettings(prefix + "key:", Duration.ofSeconds(1),
                        Duration.ofSeconds(5), prefix + "unheard")),
                new UserSignIns(redis, prefix + "accounts:"), storeOfB, () -> Duration.ofSeconds(1));
        // B catches up as a starting replica does
        changesOfB.poll().await().atMost(TIMEOUT);
    }

    @AfterEach
    void stopReplicaB() {
        before.forEach((name, policies) -> storeOfA.update(name, policies).await().atMost(TIMEOUT));
        redisClient.close();
        vertx.closeAndAwait();
    }

    @Test
    void aPutOnAIsEnforcedByBWithinFiveSeconds() {
        String admin = Accounts.rootToken();
        Accounts.as(admin).header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("policies", List.of(Map.of("name", "tight", "window", "minute", "limit", 2))))
                .put("/api/v1/admin/tiers/pro").then().statusCode(200);

        await("B applies A's change").atMost(PROMISE).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    changesOfB.poll().await().atMost(TIMEOUT);
                    return "\"tight\";q=2;w=60".equals(tiersOfB.forTier("pro").policyHeader());
                });

        Redis decisions = Limiters.standaloneClient(vertx, Limiters.STANDALONE);
        try {
            GatewayRateLimiter limiterOfB = Limiters.exact(decisions, Limiters.uniquePrefix());
            String subject = "key:" + UUID.randomUUID();
            for (int i = 1; i <= 2; i++) {
                assertTrue(decide(limiterOfB, subject).allowed(), "call " + i);
            }
            RateLimitDecision third = decide(limiterOfB, subject);
            assertFalse(third.allowed(), "B refuses the third call of the minute");
            assertEquals("tight", third.policies().name(0));
        } finally {
            decisions.close();
        }
    }

    @Test
    void aChangeWrittenOnBIsEnforcedByAWithinFiveSeconds() {
        List<RateLimitPolicy> tight = List.of(new RateLimitPolicy("from-b", PolicyWindow.MINUTE, 2));
        storeOfB.update("pro", tight).await().atMost(TIMEOUT);
        assertEquals(tight, tiersOfB.tiers().get("pro"), "B applies its own change at once");

        String probe = TestKeys.active(poolOfA, "pro", "read").key();
        await("A applies B's change").atMost(PROMISE).pollInterval(Duration.ofMillis(100))
                .until(() -> "\"from-b\";q=2;w=60".equals(call(probe).header("RateLimit-Policy")));

        String key = TestKeys.active(poolOfA, "pro", "read").key();
        call(key).then().statusCode(200);
        call(key).then().statusCode(200);
        call(key).then().statusCode(429).header("RateLimit-Policy", "\"from-b\";q=2;w=60");
    }

    private RateLimitDecision decide(GatewayRateLimiter limiter, String subject) {
        return Limiters.await(limiter.isAllowed(subject, "pro", tiersOfB.forTier("pro")), TIMEOUT);
    }

    private static Response call(String key) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", key).get("/api/v1/things");
    }
}
