package dev.scalableapi.gateway.keys;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.scalableapi.gateway.ratelimit.TierPolicies;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.RestartableRedis;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The rate limiter's Redis (a private redis-server; keys, sessions and the rest keep the shared one) goes away:
 * a key's usage still answers 200 with its traffic from PostgreSQL and its policies' limits, and says that the
 * counters could not be read ({@code countersAvailable: false}, counts null) instead of failing or showing a
 * replica's local fallback as the key's state.
 */
@QuarkusTest
@TestProfile(KeyUsageAnswersWhileTheLimitersRedisIsDownTest.PrivateLimiterRedis.class)
class KeyUsageAnswersWhileTheLimitersRedisIsDownTest {

    /** Started by Quarkus' test-resource lifecycle: the test class is loaded by two class loaders. */
    public static class LimiterRedis implements QuarkusTestResourceLifecycleManager {
        private RestartableRedis redis;

        @Override
        public Map<String, String> start() {
            redis = new RestartableRedis();
            return Map.of("quarkus.redis.ratelimit.hosts", redis.uri());
        }

        @Override
        public void stop() {
            redis.close();
        }
    }

    public static class PrivateLimiterRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.ratelimit.failure-mode", "local-fallback",
                    "gateway.ratelimit.redis-timeout", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class),
                    new TestResourceEntry(LimiterRedis.class));
        }
    }

    @ConfigProperty(name = "quarkus.redis.ratelimit.hosts")
    String limiterRedis;
    @Inject
    Pool pool;
    @Inject
    TierPolicies tiers;

    @Test
    void usageAnswersWithoutTheCountersAndSaysSo() throws IOException, InterruptedException {
        String admin = Accounts.rootToken();
        TestKeys.Issued key = TestKeys.active(pool, "free", "read");
        for (int i = 0; i < 3; i++) {
            given().header("X-API-Key", key.key()).get("/api/v1/things").then().statusCode(200);
        }
        JsonPath up = usage(admin, key.keyId());
        assertEquals(true, up.getBoolean("countersAvailable"));
        assertEquals(3, up.getInt("policies[0].used"));

        shutDown(limiterRedis);
        await("the traffic part counts the 3 requests").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> usage(admin, key.keyId()).getLong("last24Hours.requests") == 3);
        JsonPath down = usage(admin, key.keyId());
        assertEquals(false, down.getBoolean("countersAvailable"));
        assertEquals("tier", down.getString("policiesFrom"));
        assertEquals(List.of("free"), down.getList("policies.name"));
        assertEquals(List.of((int) tiers.forTier("free").limit(0)), down.getList("policies.limit"));
        assertEquals(Arrays.asList((Object) null), down.getList("policies.used"));
        assertNull(down.get("policies[0].remaining"));
        assertNull(down.get("policies[0].resetAt"));
        assertEquals(3, down.getInt("thisMonth.requests"));
        assertEquals(24, down.getList("hourly").size());
    }

    private static JsonPath usage(String admin, long id) {
        return Accounts.as(admin).get("/api/v1/admin/keys/" + id + "/usage").then().statusCode(200)
                .extract().jsonPath().setRootPath("data");
    }

    /** SHUTDOWN NOSAVE through redis-cli: the server is gone, connections to it are refused. */
    private static void shutDown(String uri) throws IOException, InterruptedException {
        String port = uri.substring(uri.lastIndexOf(':') + 1);
        Process cli = new ProcessBuilder("redis-cli", "-p", port, "shutdown", "nosave").redirectErrorStream(true)
                .start();
        cli.getInputStream().readAllBytes();
        if (!cli.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-cli did not return");
        }
        await("the limiter's Redis refuses connections").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> !answers(Integer.parseInt(port)));
    }

    private static boolean answers(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
