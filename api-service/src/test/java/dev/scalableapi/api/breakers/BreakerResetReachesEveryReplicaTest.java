package dev.scalableapi.api.breakers;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.external.ExternalService;
import dev.scalableapi.api.external.FlakyDownstream;
import dev.scalableapi.api.instance.FleetConfig;
import dev.scalableapi.api.support.Callers;
import dev.scalableapi.api.support.OwnInstanceId;
import dev.scalableapi.common.fleet.FleetKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A breaker reset from the admin API lands on one api replica, which resets its breaker and publishes the name on
 * the fleet's {@code breaker-resets} channel; every replica listening there resets the same breaker. Here the
 * "other replica" is a separate Redis client: its message closes this replica's open breaker, and this replica's
 * reset endpoint sends the message it would receive. The breaker's own delay (30 s) is far longer than the wait,
 * so only the reset can close it.
 */
@QuarkusTest
@TestProfile(OwnInstanceId.class)
class BreakerResetReachesEveryReplicaTest {

    private static final String NAME = ExternalService.BREAKER;
    private static final String BREAKERS = "/api/v1/internal/circuit-breakers";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Inject
    FlakyDownstream downstream;

    @Inject
    CircuitBreakerMaintenance maintenance;

    @Inject
    FleetConfig fleet;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisUrl;

    private double originalFailureRate;

    @BeforeEach
    void startClosed() {
        originalFailureRate = downstream.failureRate();
        maintenance.reset(NAME);
    }

    @AfterEach
    void restore() {
        downstream.setFailureRate(originalFailureRate);
        maintenance.reset(NAME);
    }

    @Test
    void aResetPublishedByAnotherReplicaClosesTheOpenBreakerHere() {
        openTheBreaker();
        downstream.setFailureRate(0.0);
        Redis other = Redis.createClient(vertx, redisUrl);
        try {
            // An unknown name is ignored; the known one is reset.
            publish(other, "no-such-breaker");
            long receivers = publish(other, NAME);
            assertTrue(receivers >= 1, "someone listens on " + channel());
        } finally {
            other.close();
        }
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals("CLOSED", breakerState()));
        given().get("/api/v1/external").then().statusCode(200).header("X-Fallback", "false");
    }

    @Test
    void theResetEndpointTellsEveryOtherReplica() {
        List<String> heard = new CopyOnWriteArrayList<>();
        RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(channel(), heard::add);
        try {
            openTheBreaker();
            given().filter(Callers.admin(1)).post(BREAKERS + "/" + NAME + "/reset")
                    .then().statusCode(200).body("data.state", equalTo("CLOSED"));
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> heard, hasItem(NAME));
            assertEquals(List.of(NAME), heard, "one message, naming the breaker");
        } finally {
            subscriber.unsubscribe();
        }
    }

    private String channel() {
        return new FleetKeys(fleet.keyPrefix()).breakerResets();
    }

    private long publish(Redis client, String message) {
        return client.send(Request.cmd(Command.PUBLISH).arg(channel()).arg(message))
                .await().atMost(WITHIN).toLong();
    }

    private void openTheBreaker() {
        downstream.setFailureRate(1.0);
        for (int i = 0; i < 5; i++) {
            given().get("/api/v1/external").then().statusCode(200).header("X-Fallback", "true");
        }
        assertEquals("OPEN", breakerState());
    }

    private static String breakerState() {
        return given().filter(Callers.admin(1)).get(BREAKERS).then().statusCode(200)
                .extract().jsonPath().getString("data.find { it.name == '" + NAME + "' }.state");
    }
}
