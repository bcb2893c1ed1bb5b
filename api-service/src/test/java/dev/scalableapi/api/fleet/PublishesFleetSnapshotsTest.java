package dev.scalableapi.api.fleet;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.api.breakers.BreakerRegistry;
import dev.scalableapi.api.cache.GuardedRedis;
import dev.scalableapi.api.external.ExternalService;
import dev.scalableapi.api.external.FlakyDownstream;
import dev.scalableapi.api.instance.FleetConfig;
import dev.scalableapi.api.instance.InstanceConfig;
import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.OwnInstanceId;
import dev.scalableapi.common.fleet.ApiReplicaSnapshot;
import dev.scalableapi.common.fleet.FleetKeys;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every interval (1 s in tests) this replica adds a snapshot to the fleet's sorted set in Redis: the cache lookups
 * since its previous snapshot, each counted once, and the state of every breaker. The replica runs under an
 * instance id of its own, so the sum of its snapshots is exactly the lookups this test caused.
 */
@QuarkusTest
@TestProfile(OwnInstanceId.class)
class PublishesFleetSnapshotsTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Inject
    RedisDataSource redis;

    @Inject
    FleetConfig fleet;

    @Inject
    InstanceConfig instance;

    @Inject
    ObjectMapper json;

    @Inject
    @CacheName("resources")
    Cache l1;

    @Inject
    FlakyDownstream downstream;

    @Inject
    CircuitBreakerMaintenance maintenance;

    /** l1 hits, l2 hits, misses (loads from PostgreSQL). */
    record Totals(long l1Hits, long l2Hits, long misses) {
    }

    @Test
    void snapshotsAddUpToExactlyTheLookupsThisReplicaServed() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Api.create(7, "fleet " + i, Api.uniqueType("fleet")));
        }
        for (long id : ids) {
            read(id, "MISS");
            read(id, "HIT-L1");
            read(id, "HIT-L1");
        }
        l1.invalidateAll().await().indefinitely();
        for (long id : ids) {
            read(id, "HIT-L2");
            read(id, "HIT-L1");
        }
        Totals expected = new Totals(9, 3, 3);

        long reachedAt = await().atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(this::snapshots, all -> totals(all).equals(expected))
                .stream().mapToLong(ApiReplicaSnapshot::seq).max().orElseThrow();
        // Later snapshots carry nothing more: no lookup is published twice.
        List<ApiReplicaSnapshot> later = await().atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(this::snapshots, all -> all.stream().anyMatch(s -> s.seq() > reachedAt + 1));
        assertEquals(expected, totals(later));

        List<Long> seqs = later.stream().map(ApiReplicaSnapshot::seq).sorted().toList();
        assertEquals(seqs.size(), seqs.stream().distinct().count(), "one snapshot per interval");
        for (ApiReplicaSnapshot snapshot : later) {
            assertEquals(1, snapshot.intervalSeconds());
            assertTrue(snapshot.l2Healthy());
        }
    }

    @Test
    void snapshotsCarryEveryBreakerWithItsCurrentState() {
        double failureRate = downstream.failureRate();
        try {
            downstream.setFailureRate(1.0);
            for (int i = 0; i < 5; i++) {
                given().get("/api/v1/external").then().statusCode(200).header("X-Fallback", "true");
            }
            assertBreakersPublishedAs(Map.of(ExternalService.BREAKER, "OPEN", GuardedRedis.BREAKER, "CLOSED"));

            downstream.setFailureRate(failureRate);
            maintenance.reset(ExternalService.BREAKER);
            assertBreakersPublishedAs(Map.of(ExternalService.BREAKER, "CLOSED", GuardedRedis.BREAKER, "CLOSED"));
        } finally {
            downstream.setFailureRate(failureRate);
            maintenance.reset(ExternalService.BREAKER);
        }
    }

    private void assertBreakersPublishedAs(Map<String, String> states) {
        assertEquals(states.keySet(), Set.copyOf(BreakerRegistry.NAMES));
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            ApiReplicaSnapshot newest = latest(snapshots());
            assertEquals(states, newest.breakers().stream()
                    .collect(Collectors.toMap(ApiReplicaSnapshot.Breaker::name, ApiReplicaSnapshot.Breaker::state)));
        });
    }

    private static void read(long id, String cacheStatus) {
        given().get(Api.RESOURCES + "/" + id).then().statusCode(200).header("X-Cache", cacheStatus);
    }

    /** This replica's snapshots in the fleet's sorted set. */
    private List<ApiReplicaSnapshot> snapshots() {
        return redis.sortedSet(String.class).zrange(new FleetKeys(fleet.keyPrefix()).apiSnapshots(), 0, -1).stream()
                .map(parse()).filter(s -> s.instance().equals(instance.id())).toList();
    }

    private Function<String, ApiReplicaSnapshot> parse() {
        return member -> {
            try {
                return json.readValue(member, ApiReplicaSnapshot.class);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static ApiReplicaSnapshot latest(List<ApiReplicaSnapshot> snapshots) {
        return snapshots.stream().max(Comparator.comparingLong(ApiReplicaSnapshot::seq)).orElseThrow();
    }

    private static Totals totals(List<ApiReplicaSnapshot> snapshots) {
        return new Totals(snapshots.stream().mapToLong(ApiReplicaSnapshot::l1Hits).sum(),
                snapshots.stream().mapToLong(ApiReplicaSnapshot::l2Hits).sum(),
                snapshots.stream().mapToLong(ApiReplicaSnapshot::misses).sum());
    }
}
