package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.testsupport.Management;
import dev.scalableapi.gateway.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Through the real gateway pipeline and Redis: every proxied response of an anonymous caller carries the
 * rate-limit headers, the 101st request in a minute from one client IP is a 429 envelope with Retry-After,
 * and another client IP is unaffected. Client IPs come from X-Forwarded-For (the test client is a trusted
 * proxy), fresh ones per run so no other test's traffic counts here. Whatever answers after the limiter
 * (placeholder proxy: 404; real proxy: the upstream) must keep the headers.
 */
@QuarkusTest
class AnonymousCallersGetHeadersThen429Test {

    @Test
    void hundredAndFirstAnonymousRequestIsRefused() {
        String ipA = randomIp();
        String ipB = randomIp();
        long now = Instant.now().getEpochSecond();
        for (int i = 1; i <= 100; i++) {
            Response r = given().header("X-Forwarded-For", ipA).get("/api/v1/resources/" + i);
            assertNotEquals(429, r.statusCode(), "request " + i);
            assertEquals("100", r.header("X-RateLimit-Limit"));
            assertEquals(Integer.toString(100 - i), r.header("X-RateLimit-Remaining"));
            long reset = Long.parseLong(r.header("X-RateLimit-Reset"));
            assertTrue(reset >= now && reset <= now + 120, "reset " + reset);
            assertEquals("\"anonymous\";q=100;w=60", r.header("RateLimit-Policy"));
            assertTrue(r.header("RateLimit").matches("\"anonymous\";r=" + (100 - i) + ";t=([1-9]|[1-5][0-9]|6[01])"),
                    r.header("RateLimit"));
        }
        given().header("X-Forwarded-For", ipA).header("X-Request-ID", "rl-101").get("/api/v1/resources/101")
                .then().statusCode(429)
                .header("Retry-After", not(nullValue()))
                .header("X-RateLimit-Remaining", "0")
                .header("X-Request-ID", "rl-101")
                .body("error.code", equalTo("RATE_LIMIT_EXCEEDED"))
                .body("meta.requestId", equalTo("rl-101"));
        Response refused = given().header("X-Forwarded-For", ipA).get("/api/v1/resources/102");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);

        Response other = given().header("X-Forwarded-For", ipB).get("/api/v1/resources/1");
        assertNotEquals(429, other.statusCode());
        assertEquals("99", other.header("X-RateLimit-Remaining"));

        String metrics = Metrics.scrape();
        assertTrue(metrics.contains("gateway_ratelimit_decisions_total{mode=\"redis\",outcome=\"limited\",tier=\"anonymous\"}"),
                "decisions metric by mode, outcome and tier");
        assertTrue(metrics.contains("gateway_ratelimit_fallback_active 0.0"), "fallback gauge");
        assertTrue(metrics.contains("gateway_ratelimit_redis_errors_total"), "redis errors counter");
    }

    @Test
    void gatewayOwnRoutesAreNotLimited() {
        Management.given().get("/q/health/live").then().header("X-RateLimit-Limit", nullValue());
        given().get("/q/health/live").then().statusCode(404).header("X-RateLimit-Limit", nullValue());
    }

    private static String randomIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }
}
