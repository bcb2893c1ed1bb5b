package dev.scalableapi.api.cache;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.ApiClient;
import dev.scalableapi.api.support.ProxiedBackends;
import dev.scalableapi.api.support.TcpProxy;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis is cut on the network path (a real TCP proxy resets every connection and refuses new ones): the cache
 * degrades to L1 + PostgreSQL, never to errors, and comes back cleanly.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.BehindProxies.class)
class RedisOutageTest {

    public static class BehindProxies implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedBackends.class));
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ApiClient api = ApiClient.local();

    @CacheName(L1Store.FRESH)
    Cache l1;

    private TcpProxy redis;

    @BeforeEach
    void redisUpAndCachesEmpty() {
        redis = ProxiedBackends.redis();
        redis.restore();
        await().atMost(DEADLINE).until(api::invalidationsSubscribed);
        api.resetBreaker(GuardedRedis.BREAKER);
        api.clearCaches();
    }

    @AfterEach
    void restoreRedis() {
        redis.restore();
    }

    @Test
    void readsAndWritesKeepWorkingWhileRedisIsDownAndTheBreakerOpens() {
        long cached = api.createId("warm");
        long uncached = api.createId("cold");
        api.get(cached).then().statusCode(200).header("X-Cache", "MISS");
        api.get(cached).then().statusCode(200).header("X-Cache", "HIT-L1");

        redis.cut();

        // The subscription notices the cut (proves the app really talks to Redis through the proxy).
        await().atMost(DEADLINE).until(() -> !api.invalidationsSubscribed());
        api.get(cached).then().statusCode(200).header("X-Cache", "HIT-L1").body("data.name", equalTo("warm"));
        api.get(uncached).then().statusCode(200).header("X-Cache", "MISS").body("data.name", equalTo("cold"));

        // Reads that miss L1 keep going to Redis and failing until the breaker opens; none of them fails.
        List<Integer> statuses = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
            l1.invalidateAll().await().indefinitely();
            statuses.add(api.get(cached).statusCode());
            statuses.add(api.get(uncached).statusCode());
            return "OPEN".equals(api.breakerState(GuardedRedis.BREAKER));
        });
        assertTrue(statuses.stream().allMatch(s -> s == 200), "every read answered 200 during the outage: " + statuses);

        // Writes do not need Redis: the write answers, and the writer's next read sees it.
        Response renamed = api.rename(cached, "renamed-during-outage");
        renamed.then().statusCode(200).body("data.version", is(1));
        api.get(cached).then().statusCode(200).body("data.name", equalTo("renamed-during-outage"))
                .body("data.version", is(1));
        long created = api.createId("created-during-outage");
        api.get(created).then().statusCode(200).body("data.name", equalTo("created-during-outage"));
        api.delete(uncached).then().statusCode(204);
        api.get(uncached).then().statusCode(404);
    }

    @Test
    void afterRedisReturnsTheSubscriptionResumesAndL2NeverServesAnEntryUpdatedDuringTheOutage() {
        long id = api.createId("before-outage");
        api.get(id).then().statusCode(200).header("X-Cache", "MISS");
        l1.invalidateAll().await().indefinitely();
        api.get(id).then().statusCode(200).header("X-Cache", "HIT-L2").body("data.version", is(0));

        redis.cut();
        await().atMost(DEADLINE).until(() -> !api.invalidationsSubscribed());
        api.rename(id, "updated-during-outage").then().statusCode(200).body("data.version", is(1));

        redis.restore();

        // From the moment Redis is reachable again until reads reach L2 again, every read (L1 evicted each time)
        // must show the update: L2 still holds version 0 from before the outage, and it must never be answered.
        List<String> seen = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
            l1.invalidateAll().await().indefinitely();
            Response read = api.get(id);
            seen.add(read.statusCode() + " " + read.header("X-Cache") + " v" + read.path("data.version") + " "
                    + read.path("data.name"));
            return "HIT-L2".equals(read.header("X-Cache"));
        });
        assertTrue(seen.stream().allMatch(s -> s.startsWith("200 ") && s.endsWith(" v1 updated-during-outage")),
                "reads after recovery: " + seen);
        await().atMost(DEADLINE).until(api::invalidationsSubscribed);
        assertEquals("CLOSED", api.breakerState(GuardedRedis.BREAKER));
    }
}
