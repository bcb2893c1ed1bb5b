package dev.scalableapi.api.cache;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.ApiClient;
import dev.scalableapi.api.support.Callers;
import dev.scalableapi.testsupport.PackagedJar;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real replicas of the packaged application (separate JVMs, same PostgreSQL database, same Redis namespace):
 * a write answered by one replica is visible on the other immediately, because the writer waits until every
 * replica acknowledged its L1 eviction before answering. No sleeps: the read follows the write at once.
 *
 * <p>Runs in {@code verify} (failsafe) against {@code target/quarkus-app/quarkus-run.jar}; the replicas' logs are
 * written to {@code target/replica-a.log} and {@code target/replica-b.log}.
 */
class CrossReplicaInvalidationIT {

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final int ROUNDS = 20;

    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void startTwoReplicas() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        // One after the other: the first migrates the schema, the second finds it up to date.
        a = Replica.start("replica-a");
        a.awaitReady();
        b = Replica.start("replica-b");
        b.awaitReady();
        // Includes the test JVM's first rest-assured call (seconds on a busy machine): readiness is polled without it.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.api.invalidationsSubscribed() && b.api.invalidationsSubscribed());
        // Ids may repeat those of earlier test runs in this Redis namespace: start from empty caches.
        a.api.clearCaches();
    }

    @AfterAll
    static void stopReplicas() {
        for (Replica replica : new Replica[] {a, b}) {
            if (replica != null) {
                replica.stop();
            }
        }
    }

    @Test
    void everyUpdateOnOneReplicaIsReadOnTheOtherImmediately() {
        long id = a.api.createId("round-0");
        b.api.get(id).then().statusCode(200).header("X-Cache", "MISS").body("data.name", equalTo("round-0"));
        b.api.get(id).then().statusCode(200).header("X-Cache", "HIT-L1").body("data.version", is(0));
        long ackTimeoutsBefore = ackTimeouts(a);

        List<String> stale = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "round-" + round;
            a.api.rename(id, name).then().statusCode(200).body("data.version", is(round));
            // Immediately, no pause: B's L1 held the previous version a moment ago.
            var read = b.api.get(id);
            read.then().statusCode(200).header("X-Cache", not(equalTo("HIT-L1")));
            if (!name.equals(read.path("data.name")) || read.<Integer>path("data.version") != round) {
                stale.add("round " + round + ": " + read.path("data.name") + " v" + read.path("data.version"));
            }
            // Warm B's L1 again, so the next round tests eviction of a live L1 entry.
            b.api.get(id).then().statusCode(200).header("X-Cache", "HIT-L1").body("data.version", is(round));
        }
        assertTrue(stale.isEmpty(), "replica B answered an old version right after A's update: " + stale);
        assertEquals(ackTimeoutsBefore, ackTimeouts(a), "every invalidation was acknowledged in time");
    }

    @Test
    void aDeleteOnOneReplicaIs404OnTheOtherImmediately() {
        long id = a.api.createId("to-delete");
        b.api.get(id).then().statusCode(200).header("X-Cache", "MISS");
        b.api.get(id).then().statusCode(200).header("X-Cache", "HIT-L1");

        a.api.delete(id).then().statusCode(204);
        b.api.get(id).then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        a.api.get(id).then().statusCode(404);
    }

    @Test
    void anUpdateOnTheOtherReplicaIsReadBackOnTheFirst() {
        long id = b.api.createId("from-b");
        a.api.get(id).then().statusCode(200).header("X-Cache", "MISS");
        a.api.get(id).then().statusCode(200).header("X-Cache", "HIT-L1");

        b.api.rename(id, "changed-on-b").then().statusCode(200).body("data.version", is(1));
        a.api.get(id).then().statusCode(200).body("data.name", equalTo("changed-on-b")).body("data.version", is(1));
    }

    private static long ackTimeouts(Replica replica) {
        return RestAssured.given().baseUri(replica.baseUri()).filter(Callers.admin(1))
                .get("/api/v1/internal/cache").then().statusCode(200).extract().jsonPath()
                .getLong("data.invalidationAckTimeouts");
    }

    /** One application JVM started from the packaged jar, with a client for its API. */
    private record Replica(PackagedJar process, ApiClient api) {

        static Replica start(String id) {
            // POSTGRES_TEST_DB, TEST_NAMESPACE etc. are inherited from the build's environment.
            PackagedJar process = PackagedJar.of(Path.of("target", "quarkus-app", "quarkus-run.jar"), id)
                    .profile("test")
                    .portProperty("quarkus.http.port")
                    .property("api.instance.id", id)
                    // Migrate, never wipe: the other replica shares the database.
                    .property("quarkus.flyway.clean-at-start", "false")
                    .property("quarkus.shutdown.timeout", "2s")
                    .start();
            return new Replica(process, ApiClient.at(process.port()));
        }

        String baseUri() {
            return process.url();
        }

        void awaitReady() {
            process.awaitReady(START_DEADLINE);
        }

        void stop() {
            process.stop();
        }
    }
}
