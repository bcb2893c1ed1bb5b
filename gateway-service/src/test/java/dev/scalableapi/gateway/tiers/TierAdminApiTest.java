package dev.scalableapi.gateway.tiers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.ratelimit.PolicyWindow;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestTiers;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/admin/tiers} against real PostgreSQL and Redis: the four tiers seeded from the properties, a PUT
 * that replaces a tier's policies and is enforced by this gateway at once (the next request of a key of the tier),
 * audited with the old and the new policies; validation naming the field; unknown tiers 404; CSRF for the cookie
 * session; and a gateway started later with other properties does not overwrite what an admin set. Every tier is
 * put back as it was after each test (the application is shared with other test classes).
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class TierAdminApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    Pool pool;
    @Inject
    TierStore store;
    @Inject
    TierPolicies tiers;

    private String admin;
    private Map<String, List<RateLimitPolicy>> before;

    @BeforeEach
    void remember() {
        admin = Accounts.rootToken();
        before = new LinkedHashMap<>(tiers.tiers());
    }

    @AfterEach
    void restore() {
        before.forEach((name, policies) -> store.update(name, policies).await().atMost(TIMEOUT));
    }

    @Test
    void theFourTiersAreListedWithTheirPolicies() {
        as(admin).get("/api/v1/admin/tiers").then().statusCode(200)
                .body("data.name", contains("anonymous", "free", "pro", "enterprise"))
                // the properties' default for pro: its minute policy, named after the tier
                .body("data[2].policies", equalTo(List.of(Map.of("name", "pro", "window", "minute", "limit", 10000))));
    }

    @Test
    void aPutReplacesTheTiersPoliciesIsEnforcedAtOnceAndAudited() {
        String key = TestKeys.active(pool, "pro", "read").key();
        Response put = as(admin).contentType(ContentType.JSON).body(Map.of("policies", List.of(
                        Map.of("name", "burst", "window", "second", "limit", 50),
                        Map.of("window", "minute", "limit", 2))))
                .put("/api/v1/admin/tiers/pro");
        put.then().statusCode(200)
                .body("data.name", equalTo("pro"))
                .body("data.policies[0].name", equalTo("burst"))
                .body("data.policies[1].name", equalTo("per-minute"))
                .body("data.policies[1].window", equalTo("minute"))
                .body("data.policies[1].limit", equalTo(2));
        as(admin).get("/api/v1/admin/tiers").then().body("data[2].policies.limit", contains(50, 2));

        for (int i = 0; i < 2; i++) {
            call(key).then().statusCode(200).header("RateLimit-Policy", "\"burst\";q=50;w=1, \"per-minute\";q=2;w=60");
        }
        call(key).then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));

        Map<String, Object> details = audited(put.header("X-Request-ID"));
        assertEquals("pro: 10000 per minute", details.get("old"));
        assertEquals("burst: 50 per second, per-minute: 2 per minute", details.get("new"));
    }

    @Test
    void invalidPoliciesAre422NamingTheFieldAndChangeNothing() {
        put("pro", Map.of("policies", List.of(Map.of("window", "fortnight", "limit", 0)))).then().statusCode(422)
                .body("error.code", equalTo("VALIDATION_FAILED"))
                .body("error.details", hasKey("policies[0].window"))
                .body("error.details", hasKey("policies[0].limit"));
        put("pro", Map.of("policies", List.of())).then().statusCode(422).body("error.details", hasKey("policies"));
        put("pro", Map.of()).then().statusCode(422).body("error.details", hasKey("policies"));
        put("pro", Map.of("policies", List.of(Map.of("window", "day", "limit", 5),
                Map.of("name", "daily", "window", "day", "limit", 6)))).then().statusCode(422)
                .body("error.details", hasKey("policies[1].name"));
        assertEquals(before.get("pro"), tiers.tiers().get("pro"));
    }

    @Test
    void aPutDoesNotCreateTiers() {
        put("gold", Map.of("policies", List.of(Map.of("window", "minute", "limit", 5)))).then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        put("PRO", Map.of("policies", List.of(Map.of("window", "minute", "limit", 5)))).then().statusCode(404);
        as(admin).get("/api/v1/admin/tiers").then().body("data.size()", equalTo(4));
    }

    @Test
    void theCookieSessionNeedsItsCsrfToken() {
        Response login = given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", Accounts.ROOT_EMAIL, "password", Accounts.ROOT_PASSWORD))
                .post("/api/v1/admin/login");
        Cookie cookie = login.getDetailedCookie("sa_session");
        String csrf = login.path("data.csrfToken");
        Map<String, Object> body = Map.of("policies", List.of(Map.of("window", "minute", "limit", 777)));
        given().cookie("sa_session", cookie.getValue()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/admin/tiers/enterprise").then().statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        assertEquals(before.get("enterprise"), tiers.tiers().get("enterprise"));
        given().cookie("sa_session", cookie.getValue()).header("X-CSRF-Token", csrf).contentType(ContentType.JSON)
                .body(body).put("/api/v1/admin/tiers/enterprise").then().statusCode(200)
                .body("data.policies[0].limit", equalTo(777));
    }

    @Test
    void aGatewayStartedLaterWithOtherPropertiesKeepsWhatAnAdminSet() {
        put("free", Map.of("policies", List.of(Map.of("name", "set-by-admin", "window", "hour", "limit", 42))))
                .then().statusCode(200);
        // another replica whose properties say free is 5 per minute: they seed nothing that exists
        Map<String, List<RateLimitPolicy>> otherProperties = new LinkedHashMap<>(TestTiers.defaults());
        otherProperties.put("free", List.of(new RateLimitPolicy("free", PolicyWindow.MINUTE, 5)));
        TierPolicies later = TestTiers.policies();
        new TierStore(pool, later, new ObjectMapper(), otherProperties).sync().await().atMost(TIMEOUT);
        assertEquals(List.of(new RateLimitPolicy("set-by-admin", PolicyWindow.HOUR, 42)), later.tiers().get("free"));
        as(admin).get("/api/v1/admin/tiers").then().body("data[1].policies[0].name", equalTo("set-by-admin"));
    }

    @Test
    void settingsShowTheTrustedProxies() {
        as(admin).get("/api/v1/admin/settings").then().statusCode(200)
                .body("data.trustedProxies", contains("127.0.0.1/32", "::1/128"))
                .body("data.changePollIntervalMillis", equalTo(1000));
    }

    private Response put(String tier, Map<String, ?> body) {
        return as(admin).contentType(ContentType.JSON).body(body).put("/api/v1/admin/tiers/" + tier);
    }

    private static Response call(String key) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", key).get("/api/v1/things");
    }

    private static RequestSpecification as(String token) {
        return Accounts.as(token).header("X-Forwarded-For", TestKeys.uniqueIp());
    }

    /** The tier.update row of the request, once the audit log has written it. */
    private Map<String, Object> audited(String requestId) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> rows = as(admin).queryParam("action", "tier.update").queryParam("limit", 50)
                    .get("/api/v1/admin/audit").then().statusCode(200).extract().jsonPath().getList("data");
            for (Map<String, Object> row : rows) {
                if (requestId.equals(row.get("requestId"))) {
                    assertEquals("tier:pro", row.get("target"));
                    assertEquals("success", row.get("outcome"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> details = (Map<String, Object>) row.get("details");
                    return details;
                }
            }
        }
        throw new AssertionError("no tier.update audit row for request " + requestId);
    }
}
