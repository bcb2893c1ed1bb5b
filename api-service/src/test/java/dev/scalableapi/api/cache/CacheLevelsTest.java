package dev.scalableapi.api.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.Callers;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CacheLevelsTest {

    private static final long OWNER = 41;

    @Inject
    @CacheName("resources")
    Cache l1;

    private static String url(long id) {
        return Api.RESOURCES + "/" + id;
    }

    @Test
    void firstReadMissesThenL1ThenL2AfterL1IsEvicted() {
        long id = Api.create(OWNER, "cached", Api.uniqueType("levels"));

        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "MISS")
                .body("data.name", equalTo("cached"));
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "HIT-L1")
                .body("data.name", equalTo("cached"));

        l1.invalidateAll().await().indefinitely();
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "HIT-L2")
                .body("data.id", equalTo((int) id))
                .body("data.name", equalTo("cached"));
        // The L2 answer was put back into L1.
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "HIT-L1");
    }

    @Test
    void afterAWriteTheNextReadSeesTheNewVersionFromAnyLevel() {
        String type = Api.uniqueType("fresh");
        long id = Api.create(OWNER, "old name", type);
        // Warm both levels with version 0.
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "MISS");
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "HIT-L1");

        given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON).body(Api.json("new name", type, null))
                .when().put(url(id)).then().statusCode(200).body("data.version", equalTo(1));
        given().when().get(url(id)).then().statusCode(200)
                .header("X-Cache", in(List.of("HIT-L1", "HIT-L2", "MISS")))
                .header("ETag", "\"1\"")
                .body("data.name", equalTo("new name"))
                .body("data.version", equalTo(1));

        // Also with L1 gone: L2 must hold the new version, not the one it cached before the write.
        l1.invalidateAll().await().indefinitely();
        given().when().get(url(id)).then().statusCode(200)
                .header("X-Cache", "HIT-L2")
                .body("data.name", equalTo("new name"))
                .body("data.version", equalTo(1));

        given().filter(Callers.writer(OWNER)).contentType("application/merge-patch+json")
                .body("{\"description\":\"patched\"}")
                .when().patch(url(id)).then().statusCode(200).body("data.version", equalTo(2));
        given().when().get(url(id)).then().statusCode(200)
                .body("data.description", equalTo("patched"))
                .body("data.version", equalTo(2));
    }

    @Test
    void aDeletedResourceIsNotServedFromEitherLevel() {
        long id = Api.create(OWNER, "doomed", Api.uniqueType("gone"));
        given().when().get(url(id)).then().statusCode(200);
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "HIT-L1");
        given().filter(Callers.writer(OWNER)).when().delete(url(id)).then().statusCode(204);
        given().when().get(url(id)).then().statusCode(404);
        l1.invalidateAll().await().indefinitely();
        given().when().get(url(id)).then().statusCode(404);
    }

    @Test
    void listResponsesBypassTheCache() {
        String type = Api.uniqueType("bypass");
        Api.create(OWNER, "listed", type);
        for (int i = 0; i < 2; i++) {
            given().queryParam("type", type).when().get(Api.RESOURCES)
                    .then().statusCode(200).header("X-Cache", "BYPASS")
                    .body("data.size()", equalTo(1));
        }
    }

    @Test
    void cacheStatsNeedAnAdminAndCountLookups() {
        Api.assertError(given().when().get("/api/v1/internal/cache").then(), 401, "AUTH_REQUIRED");
        Api.assertError(given().filter(Callers.writer(OWNER)).when().get("/api/v1/internal/cache").then(),
                403, "FORBIDDEN");

        long before = given().filter(Callers.admin(1)).when().get("/api/v1/internal/cache")
                .then().statusCode(200).extract().jsonPath().getLong("data.l1.hits");
        long id = Api.create(OWNER, "counted", Api.uniqueType("stats"));
        given().when().get(url(id)).then().statusCode(200);
        given().when().get(url(id)).then().statusCode(200).header("X-Cache", "HIT-L1");
        long after = given().filter(Callers.admin(1)).when().get("/api/v1/internal/cache")
                .then().statusCode(200)
                .body("data.instanceId", equalTo("api-test"))
                .extract().jsonPath().getLong("data.l1.hits");
        assertEquals(before + 1, after);
    }
}
