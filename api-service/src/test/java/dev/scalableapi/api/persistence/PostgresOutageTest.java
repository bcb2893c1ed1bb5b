package dev.scalableapi.api.persistence;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.cache.GuardedRedis;
import dev.scalableapi.api.cache.L1Store;
import dev.scalableapi.api.support.ApiClient;
import dev.scalableapi.api.support.ProxiedBackends;
import dev.scalableapi.api.support.TcpProxy;
import dev.scalableapi.common.degradation.Degraded;
import io.agroal.api.AgroalDataSource;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL is cut on the network path (a real TCP proxy resets the pool's connections and refuses new ones):
 * the replica stays ready and says it is degraded, cached resources are still served from L2 (stale if need be)
 * or, with Redis out of reach too, from the replica's own last copy; everything else answers 503 with Retry-After,
 * every answer is marked {@code X-Degraded}, nothing of a refused write survives, and full service comes back once
 * PostgreSQL does.
 */
@QuarkusTest
@TestProfile(PostgresOutageTest.ShortL2Ttl.class)
class PostgresOutageTest {

    /** L2 entries are fresh for one second only, so the STALE path is reached quickly; writes get 2 s. */
    public static class ShortL2Ttl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api.cache.l2-ttl-seconds", "1", "api.resources.write-timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedBackends.class));
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ApiClient api = ApiClient.local();

    @CacheName(L1Store.FRESH)
    Cache l1;

    /** The JDBC datasource Flyway uses: real port, not behind the proxy. */
    @Inject
    AgroalDataSource direct;

    private TcpProxy postgres;
    private TcpProxy redis;

    @BeforeEach
    void postgresUpAndCachesEmpty() {
        postgres = ProxiedBackends.postgres();
        redis = ProxiedBackends.redis();
        postgres.restore();
        redis.restore();
        await().atMost(DEADLINE).until(api::invalidationsSubscribed);
        api.resetBreaker(GuardedRedis.BREAKER);
        awaitDegraded(false);
        api.clearCaches();
    }

    @AfterEach
    void restoreBackends() {
        postgres.restore();
        redis.restore();
    }

    @Test
    void whilePostgresIsDownCachedResourcesAreServedFromL2AndUncachedOnesAre503() {
        long warm = api.createId("warm");
        long cold = api.createId("cold");
        api.get(warm).then().statusCode(200).header("X-Cache", "MISS");

        postgres.cut();
        awaitDegraded(true);
        api.readiness().then().statusCode(200).body("status", equalTo("UP"))
                .header(Degraded.HEADER, Degraded.DATABASE_UNAVAILABLE);

        // L1 evicted before every read: the answer comes from L2, first fresh (HIT-L2), then, once the one-second
        // freshness has passed, as a stale copy (STALE) because PostgreSQL cannot be asked.
        List<String> seen = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            l1.invalidateAll().await().indefinitely();
            Response read = api.get(warm);
            seen.add(read.statusCode() + " " + read.header("X-Cache") + " " + read.path("data.name"));
            return "STALE".equals(read.header("X-Cache"));
        });
        assertTrue(seen.stream().allMatch(s -> s.equals("200 HIT-L2 warm") || s.equals("200 STALE warm")),
                "reads of the warmed resource during the outage: " + seen);
        l1.invalidateAll().await().indefinitely();
        api.get(warm).then().statusCode(200).header("X-Cache", "STALE").body("data.id", is((int) warm))
                .body("data.version", is(0)).header(Degraded.HEADER, Degraded.DATABASE_UNAVAILABLE);

        // Never cached: nothing to fall back on.
        api.get(cold).then().statusCode(503).header("Retry-After", notNullValue())
                .header(Degraded.HEADER, Degraded.DATABASE_UNAVAILABLE)
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));

        postgres.restore();
        awaitDegraded(false);
        api.readiness().then().statusCode(200).body("status", equalTo("UP")).header(Degraded.HEADER, nullValue());
        await().atMost(DEADLINE).until(() -> api.get(cold).statusCode() == 200);
        api.get(cold).then().body("data.name", equalTo("cold"));
        l1.invalidateAll().await().indefinitely();
        api.get(warm).then().statusCode(200).header("X-Cache", "MISS").body("data.name", equalTo("warm"));
    }

    @Test
    void withRedisDownTooAReplicaAnswersFromTheLastCopyItServedNeverFromOneAWriteReplaced() {
        long read = api.createId("read");
        long renamed = api.createId("before-rename");
        long deleted = api.createId("deleted");
        long cold = api.createId("cold");
        for (long id : new long[] {read, renamed, deleted}) {
            api.get(id).then().statusCode(200).header("X-Cache", "MISS");
        }
        api.rename(renamed, "after-rename").then().statusCode(200);
        api.get(renamed).then().statusCode(200).body("data.name", equalTo("after-rename"));
        api.delete(deleted).then().statusCode(204);

        redis.cut();
        postgres.cut();
        awaitDegraded(true);
        // L1's fresh copies expire (here: evicted); L2 cannot be asked, so only the replica's last copies are left.
        l1.invalidateAll().await().indefinitely();

        api.get(read).then().statusCode(200).header("X-Cache", "STALE").body("data.name", equalTo("read"))
                .header(Degraded.HEADER, Degraded.DATABASE_UNAVAILABLE);
        api.get(renamed).then().statusCode(200).header("X-Cache", "STALE").body("data.name", equalTo("after-rename"))
                .body("data.version", is(1));
        api.get(deleted).then().statusCode(503).body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        api.get(cold).then().statusCode(503).header("Retry-After", notNullValue());
    }

    @Test
    void writesDuringAnOutageAre503AndLeaveNothingBehindAndSucceedAgainAfterRestore() throws SQLException {
        long existing = api.createId("existing");

        postgres.cut();
        awaitDegraded(true);

        api.create("created-during-outage").then().statusCode(503).header("Retry-After", notNullValue())
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        api.rename(existing, "renamed-during-outage").then().statusCode(503).header("Retry-After", notNullValue())
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        api.delete(existing).then().statusCode(503).header("Retry-After", notNullValue())
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));

        postgres.restore();
        awaitDegraded(false);
        api.create("created-after-restore").then().statusCode(201).header(Degraded.HEADER, nullValue());

        assertEquals(0, count("select count(*) from resources where name = ?", "created-during-outage"));
        assertEquals(0, count("select count(*) from resources where name = ?", "renamed-during-outage"));
        assertEquals(1, count("select count(*) from resources where name = ? and version = 0", "existing"));
        assertEquals(1, count("select count(*) from resources where name = ?", "created-after-restore"));
        api.get(existing).then().statusCode(200).body("data.name", equalTo("existing")).body("data.version", is(0));
        api.rename(existing, "renamed-after-restore").then().statusCode(200).body("data.version", is(1));
        api.delete(existing).then().statusCode(204);
        api.get(existing).then().statusCode(404);
    }

    @Test
    void aWriteStuckOnAHungPostgresIs503AtItsDeadlineAndNeverAppliedLater() throws SQLException {
        postgres.freeze(); // connections stay open, nothing comes back: a hung server, not a refused one
        api.create("created-while-hung").then().statusCode(503).header("Retry-After", notNullValue())
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));

        // What the hung PostgreSQL had received goes on once it is back; the write must still never appear, even
        // after later writes on the same pool (a retry would otherwise create a duplicate).
        postgres.thaw();
        awaitDegraded(false);
        for (int i = 0; i < 5; i++) {
            api.create("created-after-thaw").then().statusCode(201);
        }
        assertEquals(5, count("select count(*) from resources where name = ?", "created-after-thaw"));
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE)
                .until(() -> count("select count(*) from resources where name = ?", "created-while-hung") == 0);
    }

    @Test
    void aWriteWhoseCommitWasUnansweredSaysItsOutcomeIsUnknown() throws SQLException {
        postgres.freezeBefore("commit");
        api.create("finished-while-hung").then().statusCode(504).header("Retry-After", nullValue())
                .body("error.code", equalTo("UPSTREAM_TIMEOUT"))
                .body("error.message", containsString("may or may not have been applied"));
        assertTrue(postgres.isFrozen(), "the COMMIT was held, not some earlier statement timing out");

        // It was on its way: once PostgreSQL gets it, the write is there, as the answer warned it might be.
        postgres.thaw();
        await().atMost(DEADLINE)
                .until(() -> count("select count(*) from resources where name = ?", "finished-while-hung") == 1);
    }

    /** Waits until the replica's readiness says it serves without PostgreSQL ({@code true}) or with it. */
    private void awaitDegraded(boolean degraded) {
        await().atMost(DEADLINE).until(() -> {
            Response readiness = api.readiness();
            Object said = readiness.path("checks.find { it.name == 'database' }.data.degraded");
            return readiness.statusCode() == 200 && Boolean.valueOf(degraded).equals(said);
        });
    }

    private long count(String sql, String name) throws SQLException {
        try (Connection connection = direct.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
