package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Configured only by the original system's names, {@code RATE_LIMIT_WINDOW_MS=30000} and
 * {@code RATE_LIMIT_MAX_REQUESTS=3}: an address gets 3 anonymous requests per 30 s window, then 429. The window is
 * every tier's, so a key's limit is counted per 30 s too (its number stays its tier's).
 */
@QuarkusTest
@TestProfile(OriginalRateLimitNamesSetTheAnonymousLimitTest.OriginalNames.class)
class OriginalRateLimitNamesSetTheAnonymousLimitTest {

    public static class OriginalNames implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("RATE_LIMIT_WINDOW_MS", "30000", "RATE_LIMIT_MAX_REQUESTS", "3");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    @Inject
    Pool pool;

    @Test
    void anAddressGetsThreeAnonymousRequestsPerThirtySeconds() {
        String ip = TestKeys.uniqueIp();
        for (int i = 2; i >= 0; i--) {
            given().header("X-Forwarded-For", ip).get("/api/v1/things").then().statusCode(200)
                    .header("RateLimit-Policy", "\"anonymous\";q=3;w=30")
                    .header("X-RateLimit-Remaining", Integer.toString(i));
        }
        given().header("X-Forwarded-For", ip).get("/api/v1/things").then().statusCode(429)
                .body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));
    }

    @Test
    void aKeysLimitIsCountedPerTheSameWindow() {
        String key = TestKeys.active(pool, "free", "read").key();
        given().header("X-API-Key", key).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things")
                .then().statusCode(200).header("RateLimit-Policy", "\"free\";q=1000;w=30");
    }
}
