package dev.scalableapi.api.cache;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.ApiClient;
import dev.scalableapi.api.support.SecuredRedisResource;
import dev.scalableapi.testsupport.SecuredRedis;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a Redis that requires a password, signed in as an ACL user of its own: L2 and the invalidation
 * subscription (a client of its own) both authenticate; a password changed on the server alone degrades the cache
 * as a Redis outage does (L1 + PostgreSQL, breaker open, writes still answered) until it matches again.
 */
@QuarkusTest
@TestProfile(CacheAndInvalidationsSignInToRedisTest.AsAnAclUser.class)
class CacheAndInvalidationsSignInToRedisTest {

    public static class AsAnAclUser implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredRedisResource.class));
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final ApiClient api = ApiClient.local();

    @CacheName(L1Store.FRESH)
    Cache l1;

    @Inject
    CacheConfig config;

    @BeforeEach
    void subscribedWithEmptyCaches() {
        await().atMost(DEADLINE).until(api::invalidationsSubscribed);
        api.resetBreaker(GuardedRedis.BREAKER);
        api.clearCaches();
    }

    @Test
    void l2AndInvalidationsGoThroughThePasswordProtectedRedis() {
        SecuredRedis redis = SecuredRedisResource.redis();
        long id = api.createId("secured");
        api.get(id).then().statusCode(200).header("X-Cache", "MISS");
        api.get(id).then().statusCode(200).header("X-Cache", "HIT-L1");
        l1.invalidateAll().await().indefinitely();
        api.get(id).then().statusCode(200).header("X-Cache", "HIT-L2").body("data.name", equalTo("secured"));
        assertEquals("1", redis.cli("EXISTS", config.keyPrefix() + id), "L2 lives in the secured server");

        // The subscriber's own connection signed in as the application's user, on the invalidation channel.
        assertEquals(config.channel() + "\n1", redis.cli("PUBSUB", "NUMSUB", config.channel()));
        List<String> subscribers = redis.cli("CLIENT", "LIST").lines().filter(l -> l.contains(" flags=P ")).toList();
        assertFalse(subscribers.isEmpty(), "a subscribed connection");
        assertTrue(subscribers.stream().allMatch(l -> l.contains(" user=" + SecuredRedisResource.USER + " ")),
                subscribers.toString());

        api.rename(id, "renamed").then().statusCode(200);
        api.get(id).then().statusCode(200).body("data.name", equalTo("renamed"));
    }

    @Test
    void aPasswordChangedOnlyOnTheServerDegradesLikeAnOutageAndRecovers() {
        String original = SecuredRedisResource.userPassword();
        long cached = api.createId("warm");
        api.get(cached).then().statusCode(200).header("X-Cache", "MISS");
        try {
            SecuredRedisResource.setUserPassword("rotated-" + UUID.randomUUID());
            await().atMost(DEADLINE).until(() -> !api.invalidationsSubscribed());

            // Reads that miss L1 try Redis and fail until the breaker opens; every one is answered.
            List<Integer> statuses = new ArrayList<>();
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
                l1.invalidateAll().await().indefinitely();
                statuses.add(api.get(cached).statusCode());
                return "OPEN".equals(api.breakerState(GuardedRedis.BREAKER));
            });
            assertTrue(statuses.stream().allMatch(s -> s == 200), "every read answered 200: " + statuses);
            api.rename(cached, "renamed-while-refused").then().statusCode(200);
            api.get(cached).then().statusCode(200).body("data.name", equalTo("renamed-while-refused"));
        } finally {
            SecuredRedisResource.setUserPassword(original);
        }

        await().atMost(DEADLINE).until(api::invalidationsSubscribed);
        long fresh = api.createId("after");
        api.get(fresh).then().statusCode(200);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            l1.invalidateAll().await().indefinitely();
            return "HIT-L2".equals(api.get(fresh).header("X-Cache"));
        });
    }
}
