package dev.scalableapi.api.resources;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResourceCrudTest {

    private static final long OWNER = 7;

    @Test
    void createAnswers201WithLocationEtagAndEnvelope() {
        String type = Api.uniqueType("crud");
        Response created = given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body(Api.json("Created one", type, "first description"))
                .when().post(Api.RESOURCES);
        created.then().statusCode(201)
                .header("ETag", equalTo("\"0\""))
                .body("data.name", equalTo("Created one"))
                .body("data.type", equalTo(type))
                .body("data.description", equalTo("first description"))
                .body("data.ownerId", equalTo((int) OWNER))
                .body("data.version", equalTo(0))
                .body("data.createdAt", not(emptyOrNullString()))
                .body("meta.requestId", not(emptyOrNullString()))
                .body("meta.timestamp", not(emptyOrNullString()));
        long id = created.jsonPath().getLong("data.id");
        assertTrue(id > 0);
        String location = created.header("Location");
        assertTrue(location != null && location.endsWith("/api/v1/resources/" + id), "Location was " + location);

        // The Location points at the created resource.
        given().when().get(java.net.URI.create(location).getPath())
                .then().statusCode(200)
                .header("ETag", equalTo("\"0\""))
                .body("data.id", equalTo((int) id))
                .body("data.name", equalTo("Created one"))
                .body("meta.requestId", not(emptyOrNullString()));
    }

    @Test
    void listPaginatesWithMetaOverAUniqueType() {
        String type = Api.uniqueType("page");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(Api.create(OWNER, "page item " + i, type));
        }
        // Another type's rows must not leak into the filtered list.
        Api.create(OWNER, "other type", Api.uniqueType("other"));

        List<Long> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonPath body = given().queryParam("type", type).queryParam("limit", 10).queryParam("page", page)
                    .when().get(Api.RESOURCES)
                    .then().statusCode(200)
                    .header("X-Cache", "BYPASS")
                    .body("meta.pagination.page", equalTo(page))
                    .body("meta.pagination.limit", equalTo(10))
                    .body("meta.pagination.total", equalTo(25))
                    .body("meta.pagination.hasMore", equalTo(page < 3))
                    .body("meta.requestId", not(emptyOrNullString()))
                    .body("data.type", everyItem(equalTo(type)))
                    .extract().jsonPath();
            List<Long> pageIds = body.getList("data.id", Long.class);
            assertEquals(page < 3 ? 10 : 5, pageIds.size());
            seen.addAll(pageIds);
        }
        // Default order is by id: every item exactly once, in creation order.
        assertEquals(ids, seen);

        given().queryParam("type", type).queryParam("limit", 10).queryParam("page", 4)
                .when().get(Api.RESOURCES)
                .then().statusCode(200)
                .body("data.size()", equalTo(0))
                .body("meta.pagination.total", equalTo(25))
                .body("meta.pagination.hasMore", equalTo(false));
    }

    @Test
    void listFiltersByTypeAndOwner() {
        String type = Api.uniqueType("filter");
        long mine = Api.create(OWNER, "mine", type);
        long theirs = Api.create(8, "theirs", type);

        assertEquals(List.of(mine, theirs), given().queryParam("type", type).when().get(Api.RESOURCES)
                .then().statusCode(200).body("meta.pagination.total", equalTo(2))
                .extract().jsonPath().getList("data.id", Long.class));
        assertEquals(List.of(theirs), given().queryParam("type", type).queryParam("owner", 8)
                .when().get(Api.RESOURCES)
                .then().statusCode(200).body("meta.pagination.total", equalTo(1))
                .extract().jsonPath().getList("data.id", Long.class));
    }

    @Test
    void listSortsByNameAscendingAndDescending() {
        String type = Api.uniqueType("sort");
        List<String> names = new ArrayList<>();
        for (char c = 'a'; c <= 'h'; c++) {
            names.add("sorted-" + c + "-" + (int) c);
        }
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, new Random(42));
        for (String name : shuffled) {
            Api.create(OWNER, name, type);
        }
        List<String> ascending = new ArrayList<>(names);
        ascending.sort(Comparator.naturalOrder());
        List<String> descending = new ArrayList<>(names);
        descending.sort(Comparator.reverseOrder());
        assertNotEquals(ascending, shuffled, "creation order must differ from name order for the test to mean something");

        assertEquals(ascending, given().queryParam("type", type).queryParam("sort", "name")
                .when().get(Api.RESOURCES).then().statusCode(200)
                .extract().jsonPath().getList("data.name", String.class));
        assertEquals(descending, given().queryParam("type", type).queryParam("sort", "-name")
                .when().get(Api.RESOURCES).then().statusCode(200)
                .extract().jsonPath().getList("data.name", String.class));
        // Without sort: creation (id) order.
        assertEquals(shuffled, given().queryParam("type", type)
                .when().get(Api.RESOURCES).then().statusCode(200)
                .extract().jsonPath().getList("data.name", String.class));
    }

    @Test
    void putReplacesEveryFieldAndBumpsVersion() {
        String type = Api.uniqueType("put");
        long id = Api.create(Callers.writer(OWNER), "before put", type, "old description");
        String newType = Api.uniqueType("put2");

        given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body(Api.json("after put", newType, null))
                .when().put(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .header("ETag", equalTo("\"1\""))
                .body("data.name", equalTo("after put"))
                .body("data.type", equalTo(newType))
                .body("data.description", nullValue())
                .body("data.version", equalTo(1))
                .body("meta.requestId", not(emptyOrNullString()));

        given().when().get(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .body("data.name", equalTo("after put"))
                .body("data.type", equalTo(newType))
                .body("data.description", nullValue())
                .body("data.version", equalTo(1));
    }

    @Test
    void patchChangesOnlyPresentFieldsAndNullClearsDescription() {
        String type = Api.uniqueType("patch");
        long id = Api.create(Callers.writer(OWNER), "before patch", type, "keep me");

        given().filter(Callers.writer(OWNER)).contentType("application/merge-patch+json")
                .body("{\"name\":\"after patch\"}")
                .when().patch(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .header("ETag", equalTo("\"1\""))
                .body("data.name", equalTo("after patch"))
                .body("data.type", equalTo(type))
                .body("data.description", equalTo("keep me"))
                .body("data.version", equalTo(1))
                .body("meta.requestId", not(emptyOrNullString()));

        given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"description\":null}")
                .when().patch(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .body("data.name", equalTo("after patch"))
                .body("data.type", equalTo(type))
                .body("data.description", nullValue())
                .body("data.version", equalTo(2));

        given().when().get(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .body("data.name", equalTo("after patch"))
                .body("data.type", equalTo(type))
                .body("data.description", nullValue())
                .body("data.version", equalTo(2));
    }

    @Test
    void deleteAnswers204AndTheResourceIsGone() {
        long id = Api.create(OWNER, "to delete", Api.uniqueType("del"));
        // Read it first so that it sits in both cache levels: the delete must not leave it readable there.
        given().when().get(Api.RESOURCES + "/" + id).then().statusCode(200);
        given().when().get(Api.RESOURCES + "/" + id).then().statusCode(200);

        given().filter(Callers.writer(OWNER))
                .when().delete(Api.RESOURCES + "/" + id)
                .then().statusCode(204)
                .body(equalTo(""));

        Api.assertError(given().when().get(Api.RESOURCES + "/" + id).then(), 404, "NOT_FOUND");
        Api.assertError(given().filter(Callers.writer(OWNER)).when().delete(Api.RESOURCES + "/" + id).then(),
                404, "NOT_FOUND");
    }
}
