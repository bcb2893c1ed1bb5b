package dev.scalableapi.api.resources;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OptimisticLockingTest {

    private static final long OWNER = 21;

    private static String url(long id) {
        return Api.RESOURCES + "/" + id;
    }

    @Test
    void staleIfMatchIs409AndLeavesTheRowUnchanged() {
        String type = Api.uniqueType("lock");
        long id = Api.create(Callers.writer(OWNER), "v0", type, "d0");
        given().filter(Callers.writer(OWNER)).header("If-Match", "\"0\"").contentType(ContentType.JSON)
                .body(Api.json("v1", type, "d1"))
                .when().put(url(id)).then().statusCode(200).header("ETag", "\"1\"");

        // Someone still holding version 0 tries again: PUT, PATCH and DELETE all refuse.
        Api.assertError(given().filter(Callers.writer(OWNER)).header("If-Match", "\"0\"")
                .contentType(ContentType.JSON).body(Api.json("lost update", type, null))
                .when().put(url(id)).then(), 409, "CONFLICT");
        Api.assertError(given().filter(Callers.writer(OWNER)).header("If-Match", "\"0\"")
                .contentType("application/merge-patch+json").body("{\"name\":\"lost patch\"}")
                .when().patch(url(id)).then(), 409, "CONFLICT");
        Api.assertError(given().filter(Callers.writer(OWNER)).header("If-Match", "\"0\"")
                .when().delete(url(id)).then(), 409, "CONFLICT");

        given().when().get(url(id)).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("data.name", equalTo("v1"))
                .body("data.description", equalTo("d1"))
                .body("data.version", equalTo(1));
        // The list (straight from PostgreSQL, no cache) agrees.
        given().queryParam("type", type).when().get(Api.RESOURCES).then().statusCode(200)
                .body("data[0].name", equalTo("v1"))
                .body("data[0].version", equalTo(1));
    }

    @Test
    void staleBodyVersionIs409() {
        String type = Api.uniqueType("lockbody");
        long id = Api.create(Callers.writer(OWNER), "v0", type, null);
        given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"description\":\"first\",\"version\":0}")
                .when().patch(url(id)).then().statusCode(200).body("data.version", equalTo(1));

        Api.assertError(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":\"stale\",\"type\":\"" + type + "\",\"version\":0}")
                .when().put(url(id)).then(), 409, "CONFLICT");
        Api.assertError(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"description\":\"stale\",\"version\":0}")
                .when().patch(url(id)).then(), 409, "CONFLICT");

        given().when().get(url(id)).then().statusCode(200)
                .body("data.name", equalTo("v0"))
                .body("data.description", equalTo("first"))
                .body("data.version", equalTo(1));
    }

    @Test
    void currentVersionSucceedsAndChangesTheEtag() {
        String type = Api.uniqueType("lockok");
        long id = Api.create(Callers.writer(OWNER), "v0", type, null);
        String etag0 = given().when().get(url(id)).then().statusCode(200).extract().header("ETag");

        String etag1 = given().filter(Callers.writer(OWNER)).header("If-Match", etag0)
                .contentType(ContentType.JSON).body(Api.json("v1", type, null))
                .when().put(url(id)).then().statusCode(200).body("data.name", equalTo("v1"))
                .extract().header("ETag");
        assertNotEquals(etag0, etag1);

        String etag2 = given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":\"v2\",\"type\":\"" + type + "\",\"version\":1}")
                .when().put(url(id)).then().statusCode(200).body("data.name", equalTo("v2"))
                .extract().header("ETag");
        assertNotEquals(etag1, etag2);

        assertEquals(etag2, given().when().get(url(id)).then().statusCode(200)
                .body("data.name", equalTo("v2")).extract().header("ETag"));

        // The delete with the current ETag succeeds.
        given().filter(Callers.writer(OWNER)).header("If-Match", etag2)
                .when().delete(url(id)).then().statusCode(204);
    }

    @Test
    void twoConcurrentPutsWithTheSameIfMatchYieldExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String type = Api.uniqueType("race");
                long id = Api.create(Callers.writer(OWNER), "start", type, null);
                CountDownLatch gate = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (String name : List.of("left", "right")) {
                    results.add(pool.submit(() -> {
                        gate.await();
                        return given().filter(Callers.writer(OWNER)).header("If-Match", "\"0\"")
                                .contentType(ContentType.JSON).body(Api.json(name, type, null))
                                .when().put(url(id)).then().extract().statusCode();
                    }));
                }
                gate.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : results) {
                    statuses.add(result.get(30, TimeUnit.SECONDS));
                }
                statuses.sort(null);
                assertEquals(List.of(200, 409), statuses, "round " + round);
                // Exactly one update was applied.
                given().when().get(url(id)).then().statusCode(200).body("data.version", equalTo(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyConcurrentPatchesWithoutIfMatchAllWinInTurn() throws Exception {
        int writers = 50;
        String type = Api.uniqueType("lww");
        long id = Api.create(Callers.writer(OWNER), "start", type, null);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "writer " + i;
                results.add(pool.submit(() -> {
                    gate.await();
                    return given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                            .body("{\"name\":\"" + name + "\"}")
                            .when().patch(url(id)).then().extract().statusCode();
                }));
            }
            gate.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(Collections.nCopies(writers, 200), statuses);
            // every write was applied, one after the other
            given().when().get(url(id)).then().statusCode(200).body("data.version", equalTo(writers));
        } finally {
            pool.shutdownNow();
        }
    }
}
