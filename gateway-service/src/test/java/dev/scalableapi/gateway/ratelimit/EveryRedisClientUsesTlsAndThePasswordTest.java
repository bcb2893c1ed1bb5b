package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.keys.ApiKeyFormat;
import dev.scalableapi.gateway.keys.KeysConfig;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.SecuredRedisResource;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import dev.scalableapi.testsupport.Management;
import dev.scalableapi.testsupport.SecuredRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Against a Redis that speaks only TLS (its certificate signed by a CA given in REDIS_TLS_CA) and requires a
 * password: the limiter's client and the default one (key cache, sign-ins) both connect and authenticate; a host
 * name the certificate does not carry is refused; and a password changed on the server alone degrades the gateway
 * as a Redis outage does (limits from the local fallback, still ready), until the password matches again.
 */
@QuarkusTest
@TestProfile(EveryRedisClientUsesTlsAndThePasswordTest.OverTlsWithAPassword.class)
class EveryRedisClientUsesTlsAndThePasswordTest {

    public static class OverTlsWithAPassword extends WithEchoUpstream {
        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(SecuredRedisResource.class));
            return resources;
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    RedisPipeline pipeline;

    @Inject
    RateLimitConfig rateLimit;

    @Inject
    RateLimitRedisOptions limiterOptions;

    @Inject
    KeysConfig keys;

    @Inject
    TierPolicies tiers;

    @Test
    void keyedRequestsAreCountedAndKeysCachedInTheTlsRedisAndSignInsWork() {
        SecuredRedis redis = SecuredRedisResource.redis();
        Issued key = TestKeys.active(pool, "pro", "read");

        given().header("X-API-Key", key.key()).get("/api/v1/things").then().statusCode(200);

        String counted = limiterKeys().key("key:" + key.keyId(), tiers.forTier("pro"), 0);
        assertEquals("1", redis.cli("EXISTS", counted), "the limiter counted the request in the TLS Redis");
        String cached = keys.redisPrefix() + ApiKeyFormat.hash(key.key());
        await().atMost(DEADLINE).until(() -> redis.cli("EXISTS", cached).equals("1"));
        assertTrue(Metrics.scrape().contains(
                "gateway_ratelimit_decisions_total{mode=\"redis\",outcome=\"allowed\",tier=\"pro\"}"));

        // Sign-in tokens live in Redis through the default client.
        Accounts.as(Accounts.rootToken()).get("/api/v1/me").then().statusCode(200)
                .body("data.user.email", equalTo(Accounts.ROOT_EMAIL));
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheHostIsRefused() throws Exception {
        SecuredRedis redis = SecuredRedisResource.redis();
        // The limiter's own options (CA, host name check, password); only the address differs.
        Redis named = Redis.createClient(vertx, at(redis.url("127.0.0.1")));
        Redis unnamed = Redis.createClient(vertx, at(redis.url("127.0.0.2")));
        try {
            assertEquals("PONG", named.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).toString());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> unnamed.connect()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(causedBy(refused, SSLHandshakeException.class), refused.toString());
        } finally {
            named.close();
            unnamed.close();
        }
    }

    @Test
    void aPasswordChangedOnlyOnTheServerDegradesLikeAnOutageAndRecovers() {
        SecuredRedis redis = SecuredRedisResource.redis();
        String original = redis.password();
        Issued key = TestKeys.active(pool, "pro", "read");
        given().header("X-API-Key", key.key()).get("/api/v1/things").then().statusCode(200);
        assertEquals(0.0, fallbackActive());
        try {
            redis.requirePassword("rotated-" + UUID.randomUUID());

            // Every request is still answered, limited by the local fallback once the breaker opens.
            List<Integer> statuses = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                statuses.add(given().header("X-API-Key", key.key()).get("/api/v1/things").statusCode());
                return fallbackActive() == 1.0;
            });
            assertTrue(statuses.stream().allMatch(s -> s == 200), "every keyed request answered 200: " + statuses);
            given().header("X-API-Key", key.key()).get("/api/v1/things").then().statusCode(200)
                    .header("X-RateLimit-Limit", Long.toString(tiers.forTier("pro").limit(0)));
            assertTrue(Metrics.scrape().contains(
                    "gateway_ratelimit_decisions_total{mode=\"local\",outcome=\"allowed\",tier=\"pro\"}"));
            Management.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'redis' }.data.degraded", equalTo(true));
        } finally {
            redis.requirePassword(original);
        }
        await().atMost(DEADLINE).until(() -> {
            given().header("X-API-Key", key.key()).get("/api/v1/things").then().statusCode(200);
            return fallbackActive() == 0.0;
        });
    }

    private RedisRateLimiter limiterKeys() {
        return new RedisRateLimiter(pipeline, rateLimit.keyPrefix(), null);
    }

    /** The limiter's client options pointed at another address (a fresh endpoint list: copies share theirs). */
    private RedisOptions at(String url) {
        return new RedisOptions(limiterOptions.options()).setEndpoints(new ArrayList<>(List.of(url)));
    }

    private static double fallbackActive() {
        return Metrics.samples(Metrics.scrape(), "gateway_ratelimit_fallback_active").get(0).value();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
