package dev.scalableapi.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.fleet.FleetConfig;
import dev.scalableapi.gateway.fleet.GatewayHeartbeats;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.Metrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * While Redis is down, the local fallback divides each limit by the gateways alive at the last heartbeat seen,
 * not by the configured minimum: three gateways (this one and two more writing heartbeats into the same real
 * Redis) admit limit / 3 each. The Redis of this test is a private redis-server that the test then kills: the
 * count seen before stays, and a replica that never saw a heartbeat uses the configured minimum.
 */
@QuarkusTest
@TestProfile(LocalFallbackDividesByTheLiveGatewaysTest.PrivateRedis.class)
class LocalFallbackDividesByTheLiveGatewaysTest {

    /**
     * The private redis-server, started by Quarkus' test-resource lifecycle rather than a static initializer: the
     * test class is loaded by two class loaders, and each would start (and only one stop) a server.
     */
    public static class PrivateRedisServer implements QuarkusTestResourceLifecycleManager {
        private RedisServers servers;

        @Override
        public Map<String, String> start() {
            servers = new RedisServers();
            int port = RedisServers.freePort();
            servers.standalone(port);
            return Map.of(
                    "quarkus.redis.hosts", "redis://127.0.0.1:" + port,
                    "quarkus.redis.ratelimit.hosts", "redis://127.0.0.1:" + port);
        }

        @Override
        public void stop() {
            servers.close();
        }
    }

    public static class PrivateRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.ratelimit.failure-mode", "local-fallback",
                    "gateway.ratelimit.redis-timeout", "200ms",
                    "gateway.ratelimit.breaker.open-duration", "60s",
                    "gateway.ratelimit.tiers.anonymous", "12",
                    "gateway.ratelimit.local-fallback.expected-replicas", "2",
                    // the two stand-in gateways write their heartbeat once: they must not go stale during the test
                    "gateway.fleet.stale-after-intervals", "120");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class),
                    new TestResourceEntry(PrivateRedisServer.class));
        }
    }

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    @Inject
    GatewayHeartbeats heartbeats;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    Vertx vertx;
    @Inject
    FleetConfig fleet;

    @Test
    void limitsAreSharedAmongTheGatewaysLastSeenWhileRedisIsDown() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> heartbeats.liveGateways().equals(OptionalInt.of(1)));
        assertEquals(2, new GatewayHeartbeats(redis, vertx, fleet, "gateway-b").beat().await().atMost(Duration.ofSeconds(10)));
        assertEquals(3, new GatewayHeartbeats(redis, vertx, fleet, "gateway-c").beat().await().atMost(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> heartbeats.liveGateways().equals(OptionalInt.of(3)));

        int port = Integer.parseInt(redisHosts.substring(redisHosts.lastIndexOf(':') + 1));
        RedisServers.run(List.of("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave"));
        assertThrows(RuntimeException.class, () -> heartbeats.beat().await().atMost(Duration.ofSeconds(10)),
                "a heartbeat fails while Redis is down");
        assertEquals(OptionalInt.of(3), heartbeats.liveGateways(), "the last count seen stays");

        int admitted = 0;
        for (int i = 0; i < 12; i++) {
            Response response = given().header("X-Forwarded-For", "192.0.2.91").get("/api/v1/resources/1");
            if (response.statusCode() == 200) {
                admitted++;
                assertEquals("4", response.header("X-RateLimit-Limit"), "ceil(12 / 3 gateways)");
            } else {
                assertEquals(429, response.statusCode(), response.asString());
            }
        }
        assertEquals(4, admitted, "one gateway admits its third of the anonymous limit of 12");
        String metrics = Metrics.scrape();
        assertTrue(metrics.contains("gateway_ratelimit_fallback_gateways 3.0"),
                metrics.lines().filter(l -> l.startsWith("gateway_ratelimit_fallback")).toList().toString());
        assertTrue(metrics.contains("gateway_ratelimit_decisions_total{mode=\"local\",outcome=\"allowed\",tier=\"anonymous\"} 4.0"),
                metrics.lines().filter(l -> l.startsWith("gateway_ratelimit_decisions")).toList().toString());

        GatewayHeartbeats startedDuringTheOutage = new GatewayHeartbeats(redis, vertx, fleet, "gateway-d");
        assertThrows(RuntimeException.class, () -> startedDuringTheOutage.beat().await().atMost(Duration.ofSeconds(10)));
        assertEquals(OptionalInt.empty(), startedDuringTheOutage.liveGateways());
        assertEquals(2, RateLimiterProducer.fallbackDivisor(startedDuringTheOutage, 2).getAsInt(),
                "a replica that never saw a heartbeat divides by the configured minimum");
        assertEquals(3, RateLimiterProducer.fallbackDivisor(heartbeats, 2).getAsInt());
        assertEquals(1, RateLimiterProducer.fallbackDivisor(startedDuringTheOutage, 0).getAsInt(), "never below 1");
    }
}
