package dev.scalableapi.gateway.keys;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.ratelimit.RateLimitClock;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithPoliciesOnATestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/admin/keys/{id}/usage} after real requests through the gateway (real Redis and PostgreSQL, the
 * limiter's test clock): each of the key's policies shows what its current period has used — sliding windows,
 * the UTC day and the UTC month, each with its reset — read without spending anything; the month's daily usage
 * comes from {@code key_usage_hourly}. Its profile (the pro tier has {@code burst:second:4, day:6} beside its
 * minute) is {@code PoliciesAndQuotasThroughTheGatewayTest}'s: one gateway for both.
 */
@QuarkusTest
@TestProfile(WithPoliciesOnATestClock.class)
class KeyUsageShowsEachPolicysCurrentPeriodTest {

    static final Instant NOW = Instant.parse("2030-03-14T12:00:00.250Z");

    @Inject
    RateLimitClock clock;
    @Inject
    TierPolicies tiers;
    @Inject
    Pool pool;

    private String admin;

    @BeforeEach
    void freezeTheClock() {
        clock.set(NOW);
        admin = Accounts.rootToken();
    }

    @AfterEach
    void releaseTheClock() {
        clock.release();
    }

    @Test
    void eachOwnPolicyShowsItsPeriodsCountAndReset() {
        Response created = Accounts.as(admin).contentType(ContentType.JSON).body(Map.of("name", "usage-own",
                "tier", "free", "scopes", List.of("read"), "limits", List.of(
                        Map.of("window", "minute", "limit", 10), Map.of("window", "hour", "limit", 20),
                        Map.of("window", "day", "limit", 30), Map.of("window", "month", "limit", 40))))
                .post("/api/v1/admin/keys");
        created.then().statusCode(201);
        String key = created.jsonPath().getString("data.key");
        long id = created.jsonPath().getLong("data.details.id");

        JsonPath before = usage(id);
        assertEquals(true, before.getBoolean("countersAvailable"));
        assertEquals("key", before.getString("policiesFrom"));
        assertEquals(List.of(0, 0, 0, 0), before.getList("policies.used"));
        assertEquals(List.of(10, 20, 30, 40), before.getList("policies.remaining"));
        assertEquals(Arrays.asList(null, null, "2030-03-15T00:00:00Z", "2030-04-01T00:00:00Z"),
                before.getList("policies.resetAt"), "an empty sliding window frees nothing; a period ends");

        for (int i = 0; i < 3; i++) {
            call(key).then().statusCode(200);
        }
        for (int look = 0; look < 2; look++) {
            JsonPath u = usage(id);
            assertEquals(List.of("per-minute", "hourly", "daily", "monthly"), u.getList("policies.name"));
            assertEquals(List.of("minute", "hour", "day", "month"), u.getList("policies.window"));
            assertEquals(List.of(60, 3600, 86400, 2592000), u.getList("policies.windowSeconds"));
            assertEquals(List.of(10, 20, 30, 40), u.getList("policies.limit"));
            assertEquals(List.of(3, 3, 3, 3), u.getList("policies.used"), "looking " + look + " times spends nothing");
            assertEquals(List.of(7, 17, 27, 37), u.getList("policies.remaining"));
            // sliding windows free when their oldest counted sub-bucket leaves (1 s and 1 min steps)
            assertEquals(List.of("2030-03-14T12:01:01Z", "2030-03-14T13:01:00Z", "2030-03-15T00:00:00Z",
                    "2030-04-01T00:00:00Z"), u.getList("policies.resetAt"));
        }

        clock.set(NOW.plus(Duration.ofDays(1)));
        call(key).then().statusCode(200);
        call(key).then().statusCode(200);
        JsonPath nextDay = usage(id);
        assertEquals(List.of(2, 2, 2, 5), nextDay.getList("policies.used"),
                "yesterday's requests left the windows and the day, not the month");
        assertEquals("2030-03-16T00:00:00Z", nextDay.getString("policies[2].resetAt"));

        // the month's daily usage is the request log's (real time, not the limiter's test clock)
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        await("the 5 requests in this month's usage").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> usage(id).getLong("thisMonth.requests") == 5);
        JsonPath month = usage(id);
        assertEquals(today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                month.getString("thisMonth.start"));
        assertEquals(today.getDayOfMonth(), month.getList("thisMonth.daily").size(), "the 1st to today");
        assertEquals(today.atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                month.getString("thisMonth.daily[-1].start"));
        assertEquals(5, month.getInt("thisMonth.daily[-1].requests"));
        assertEquals(5, month.getInt("last24Hours.requests"));
    }

    @Test
    void aTierKeyShowsItsTiersPoliciesAndARefusalSpendsNothing() {
        TestKeys.Issued pro = TestKeys.active(pool, "pro", "read");
        long perMinute = tiers.forTier("pro").limit(0);
        for (int i = 0; i < 4; i++) {
            call(pro.key()).then().statusCode(200);
        }
        call(pro.key()).then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));

        Accounts.as(admin).get("/api/v1/admin/keys/" + pro.keyId() + "/usage").then().statusCode(200)
                .body("data.policiesFrom", equalTo("tier"))
                .body("data.countersAvailable", equalTo(true))
                .body("data.policies.name", equalTo(List.of("pro", "burst", "daily")))
                .body("data.policies[0].limit", equalTo((int) perMinute))
                .body("data.policies.used", equalTo(List.of(4, 4, 4)))
                .body("data.policies[1].remaining", equalTo(0))
                .body("data.policies[1].resetAt", equalTo("2030-03-14T12:00:02Z"))
                .body("data.policies[2].remaining", equalTo(2));
    }

    @Test
    void anUnknownKeyIs404() {
        Accounts.as(admin).get("/api/v1/admin/keys/987654321/usage").then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    private JsonPath usage(long id) {
        return Accounts.as(admin).get("/api/v1/admin/keys/" + id + "/usage").then().statusCode(200)
                .extract().jsonPath().setRootPath("data");
    }

    private static Response call(String key) {
        return given().header("X-API-Key", key).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things");
    }
}
