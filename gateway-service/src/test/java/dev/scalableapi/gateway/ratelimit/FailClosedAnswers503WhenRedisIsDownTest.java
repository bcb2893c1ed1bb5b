package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code failure-mode=fail-closed} and the limiter's Redis unreachable, the gateway answers 503
 * SERVICE_UNAVAILABLE with Retry-After (not a 429: the caller did nothing wrong), and says so in its metrics.
 */
@QuarkusTest
@TestProfile(FailClosedAnswers503WhenRedisIsDownTest.DeadRedisFailClosed.class)
class FailClosedAnswers503WhenRedisIsDownTest {

    public static class DeadRedisFailClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.ratelimit.hosts", "redis://127.0.0.1:" + RedisServers.freePort(),
                    "gateway.ratelimit.failure-mode", "fail-closed",
                    "gateway.ratelimit.redis-timeout", "200ms",
                    "gateway.ratelimit.breaker.open-duration", "30s");
        }
    }

    @Test
    void requestsAreRefusedWith503AndCounted() {
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "192.0.2.77").get("/api/v1/resources/1")
                    .then().statusCode(503)
                    .header("Retry-After", matchesPattern("[1-9][0-9]?"))
                    .body("error.code", equalTo("SERVICE_UNAVAILABLE"))
                    .header("X-RateLimit-Limit", nullValue());
        }
        String metrics = Metrics.scrape();
        assertTrue(metrics.contains(
                "gateway_ratelimit_decisions_total{mode=\"fail_closed\",outcome=\"limited\",tier=\"anonymous\"} 5.0"),
                metrics.lines().filter(l -> l.startsWith("gateway_ratelimit")).toList().toString());
        assertTrue(metrics.contains("gateway_ratelimit_fallback_active 1.0"));
    }
}
