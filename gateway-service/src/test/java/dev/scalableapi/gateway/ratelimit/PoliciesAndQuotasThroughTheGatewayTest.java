package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithPoliciesOnATestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several policies through the real pipeline, Redis and PostgreSQL, on the limiter's test clock (frozen at
 * 2030-03-15 12:00:00.250 UTC): a key's own {@code limits} from the admin API replace its tier's, a tier's further
 * policies come from properties, {@code RateLimit-Policy} lists them all, {@code RateLimit} reports the one closest
 * to exhaustion, a spent month or day is 429 {@code QUOTA_EXCEEDED} and a spent burst 429
 * {@code RATE_LIMIT_EXCEEDED}, each with the Retry-After of its window; {@code GET /api/v1/me} shows every policy
 * without spending; invalid {@code limits} are 422 naming the field.
 */
@QuarkusTest
@TestProfile(WithPoliciesOnATestClock.class)
class PoliciesAndQuotasThroughTheGatewayTest {

    static final Instant NOW = Instant.parse("2030-03-15T12:00:00.250Z");

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
    void theSixthCallOfAFivePerMonthKeyIsQuotaExceeded() {
        Response created = create(Map.of("name", "metered", "tier", "free", "scopes", List.of("read"),
                "limits", List.of(Map.of("name", "burst", "window", "second", "limit", 50),
                        Map.of("window", "month", "limit", 5))));
        created.then().statusCode(201)
                .body("data.details.limits[0].name", equalTo("burst"))
                .body("data.details.limits[0].window", equalTo("second"))
                .body("data.details.limits[0].limit", equalTo(50))
                .body("data.details.limits[1].name", equalTo("monthly"))
                .body("data.details.limits[1].window", equalTo("month"));
        String key = created.jsonPath().getString("data.key");
        long untilApril = Duration.between(NOW, Instant.parse("2030-04-01T00:00:00Z")).toSeconds() + 1;

        for (int i = 1; i <= 5; i++) {
            Response ok = call(key);
            assertEquals(200, ok.statusCode(), "call " + i);
            assertEquals("\"burst\";q=50;w=1, \"monthly\";q=5;w=2592000", ok.header("RateLimit-Policy"));
            assertEquals("\"monthly\";r=" + (5 - i) + ";t=" + untilApril, ok.header("RateLimit"),
                    "the month is closest to exhaustion");
            // no minute policy: X-RateLimit-* show the policy RateLimit reports
            assertEquals("5", ok.header("X-RateLimit-Limit"));
            assertEquals(Integer.toString(5 - i), ok.header("X-RateLimit-Remaining"));
            assertEquals(Long.toString(Instant.parse("2030-04-01T00:00:00Z").getEpochSecond()),
                    ok.header("X-RateLimit-Reset"));
        }
        call(key).then().statusCode(429)
                .body("error.code", equalTo("QUOTA_EXCEEDED"))
                .header("Retry-After", Long.toString(untilApril))
                .header("RateLimit", "\"monthly\";r=0;t=" + untilApril);

        for (int i = 0; i < 2; i++) {
            given().header("X-API-Key", key).get("/api/v1/me").then().statusCode(200)
                    .body("data.rateLimit.policy", equalTo("monthly"))
                    .body("data.rateLimit.remaining", equalTo(0))
                    .body("data.rateLimit.policies[0].name", equalTo("burst"))
                    .body("data.rateLimit.policies[0].window", equalTo("second"))
                    .body("data.rateLimit.policies[0].remaining", equalTo(45))
                    .body("data.rateLimit.policies[1].name", equalTo("monthly"))
                    .body("data.rateLimit.policies[1].limit", equalTo(5))
                    .body("data.rateLimit.policies[1].remaining", equalTo(0))
                    .body("data.rateLimit.policies[1].windowSeconds", equalTo(2592000));
        }

        clock.set(Instant.parse("2030-04-01T00:00:00Z"));
        call(key).then().statusCode(200).header("RateLimit", "\"monthly\";r=4;t=" + Duration.ofDays(30).toSeconds());
    }

    @Test
    void aSpentBurstIsRateLimitExceededAndTheTiersPropertiesAddPolicies() {
        TestKeys.Issued pro = TestKeys.active(pool, "pro", "read");
        long perMinute = tiers.forTier("pro").limit(0);
        assertEquals("\"pro\";q=" + perMinute + ";w=60, \"burst\";q=4;w=1, \"daily\";q=6;w=86400",
                tiers.forTier("pro").policyHeader());
        for (int i = 1; i <= 4; i++) {
            Response ok = call(pro.key());
            assertEquals(200, ok.statusCode(), "call " + i);
            assertEquals(tiers.forTier("pro").policyHeader(), ok.header("RateLimit-Policy"));
            assertEquals(Long.toString(perMinute), ok.header("X-RateLimit-Limit"), "X-RateLimit-* are the minute's");
            assertEquals(Long.toString(perMinute - i), ok.header("X-RateLimit-Remaining"));
        }
        // 1,050 ms: until the burst's bucket (12:00:00.200) has left the 1 s window
        call(pro.key()).then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"))
                .header("Retry-After", "2").header("RateLimit", "\"burst\";r=0;t=1")
                .header("X-RateLimit-Remaining", Long.toString(perMinute - 4));

        clock.advance(Duration.ofSeconds(2));
        call(pro.key()).then().statusCode(200).header("RateLimit", "\"daily\";r=1;t=43198");
        call(pro.key()).then().statusCode(200);
        clock.advance(Duration.ofSeconds(2));
        long untilMidnight = Duration.between(NOW.plusSeconds(4), Instant.parse("2030-03-16T00:00:00Z")).toSeconds()
                + 1;
        call(pro.key()).then().statusCode(429).body("error.code", equalTo("QUOTA_EXCEEDED"))
                .header("Retry-After", Long.toString(untilMidnight))
                .header("RateLimit", "\"daily\";r=0;t=" + untilMidnight);
    }

    @Test
    void patchReplacesTheKeysPoliciesAndNullReturnsItToItsTiers() {
        Response created = create(Map.of("name", "patched-limits", "tier", "free", "scopes", List.of("read")));
        created.then().statusCode(201).body("data.details.limits", nullValue());
        String key = created.jsonPath().getString("data.key");
        long id = created.jsonPath().getLong("data.details.id");
        call(key).then().statusCode(200).header("RateLimit-Policy", tiers.forTier("free").policyHeader());

        patch(id, Map.of("limits", List.of(Map.of("window", "hour", "limit", 7)))).then().statusCode(200)
                .body("data.limits[0].name", equalTo("hourly"))
                .body("data.limits[0].limit", equalTo(7));
        call(key).then().statusCode(200).header("RateLimit-Policy", "\"hourly\";q=7;w=3600")
                .header("RateLimit", "\"hourly\";r=6;t=3600");
        Accounts.as(admin).get("/api/v1/admin/keys/" + id).then().statusCode(200)
                .body("data.limits[0].window", equalTo("hour"));

        Map<String, Object> toTier = new HashMap<>();
        toTier.put("limits", null);
        patch(id, toTier).then().statusCode(200).body("data.limits", nullValue());
        call(key).then().statusCode(200).header("RateLimit-Policy", tiers.forTier("free").policyHeader());
    }

    @Test
    void aKeysRateLimitPerMinuteStillSetsItsTiersMinuteLimit() {
        Response created = create(Map.of("name", "per-minute", "tier", "pro", "scopes", List.of("read"),
                "rateLimitPerMinute", 3));
        created.then().statusCode(201).body("data.details.rateLimitPerMinute", equalTo(3));
        String key = created.jsonPath().getString("data.key");
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofSeconds(2));
            call(key).then().statusCode(200)
                    .header("RateLimit-Policy", "\"pro\";q=3;w=60, \"burst\";q=4;w=1, \"daily\";q=6;w=86400")
                    .header("X-RateLimit-Remaining", Integer.toString(3 - i));
        }
        clock.advance(Duration.ofSeconds(2));
        call(key).then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));
    }

    @Test
    void adminCallsSpendTheTiersWindowsButNotItsQuotas() {
        for (int i = 0; i < 5; i++) {
            Accounts.as(admin).get("/api/v1/admin/keys?limit=1").then().statusCode(200)
                    .header("RateLimit-Policy", "\"free\";q=" + tiers.forTier("free").limit(0) + ";w=60");
        }
        assertEquals("\"free\";q=" + tiers.forTier("free").limit(0) + ";w=60, \"daily\";q=3;w=86400",
                tiers.forTier("free").policyHeader(), "the free tier's own callers do have the day quota");
    }

    @Test
    void invalidLimitsAre422NamingTheField() {
        Map<String, Object> base = Map.of("name", "invalid", "tier", "free", "scopes", List.of("read"));
        invalidCreate(base, List.of(Map.of("window", "week", "limit", 5)), "limits[0].window");
        invalidCreate(base, List.of(Map.of("limit", 5)), "limits[0].window");
        invalidCreate(base, List.of(Map.of("window", "day", "limit", 0)), "limits[0].limit");
        invalidCreate(base, List.of(Map.of("window", "day", "limit", 1_000_000_001L)), "limits[0].limit");
        invalidCreate(base, List.of(Map.of("window", "day")), "limits[0].limit");
        invalidCreate(base, List.of(Map.of("window", "day", "limit", "many")), "limits[0].limit");
        invalidCreate(base, List.of(Map.of("window", "day", "limit", 5, "name", "Bad Name")), "limits[0].name");
        invalidCreate(base, List.of(), "limits");
        invalidCreate(base, java.util.Collections.nCopies(9, Map.of("window", "day", "limit", 5)), "limits");
        invalidCreate(base, List.of(Map.of("window", "day", "limit", 5), Map.of("window", "day", "limit", 9)),
                "limits[1].name");
        invalidCreate(base, List.of(Map.of("window", "day", "limit", 5, "burst", 1)), "burst");
        Map<String, Object> both = new HashMap<>(base);
        both.put("rateLimitPerMinute", 10);
        invalidCreate(both, List.of(Map.of("window", "day", "limit", 5)), "rateLimitPerMinute");

        long id = create(base).then().statusCode(201).extract().jsonPath().getLong("data.details.id");
        patch(id, Map.of("limits", List.of(Map.of("window", "fortnight", "limit", 5)))).then().statusCode(422)
                .body("error.code", equalTo("VALIDATION_FAILED")).body("error.details", hasKey("limits[0].window"));
        patch(id, Map.of("limits", List.of())).then().statusCode(422).body("error.details", hasKey("limits"));
        Accounts.as(admin).get("/api/v1/admin/keys/" + id).then().statusCode(200).body("data.limits", nullValue());
    }

    private void invalidCreate(Map<String, Object> base, List<?> limits, String field) {
        Map<String, Object> body = new HashMap<>(base);
        body.put("limits", limits);
        create(body).then().statusCode(422).body("error.code", equalTo("VALIDATION_FAILED"))
                .body("error.details", hasKey(field)).body("meta.requestId", org.hamcrest.Matchers.notNullValue());
    }

    private Response create(Map<String, ?> body) {
        return Accounts.as(admin).contentType(ContentType.JSON).body(body).post("/api/v1/admin/keys");
    }

    private Response patch(long id, Map<String, ?> body) {
        return Accounts.as(admin).contentType(ContentType.JSON).body(body).patch("/api/v1/admin/keys/" + id);
    }

    private static Response call(String key) {
        return given().header("X-API-Key", key).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things");
    }
}
