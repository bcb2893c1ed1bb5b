package dev.scalableapi.api.resources;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.api.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What keeps every list query bounded: offset paging stops at a maximum depth (10,000 rows), totals are counted
 * up to a bound, only indexed sorts are accepted, and a cursor must be one this API issued for the same sort.
 */
@QuarkusTest
class BoundedListsTest {

    @Inject
    Pool pool;

    @Test
    void pageDeeperThanTheMaximumOffsetIs400NamingPageAndPointingToCursor() {
        given().queryParam("page", 100).queryParam("limit", 100).when().get(Api.RESOURCES)
                .then().statusCode(200).body("meta.pagination.page", equalTo(100));
        given().queryParam("page", 500).queryParam("limit", 20).when().get(Api.RESOURCES)
                .then().statusCode(200);
        for (String[] deep : List.of(new String[] {"101", "100"}, new String[] {"501", "20"},
                new String[] {"10001", null}, new String[] {"2147483647", "1"})) {
            Api.assertError(given().queryParam("page", deep[0]).queryParam("limit", deep[1] == null ? "" : deep[1])
                    .when().get(Api.RESOURCES).then(), 400, "INVALID_PARAMETER")
                    .body("error.details", hasKey("page"))
                    .body("error.message", containsString("cursor"));
        }
    }

    @ParameterizedTest(name = "sort={0} is 400 naming sort")
    @ValueSource(strings = {"type", "-updatedAt", "updatedAt", "description", "ownerId", "name,id", "-", "--name",
            "createdAt,-name", "NAME"})
    void unindexedOrUnknownSortIs400NamingSort(String sort) {
        Api.assertError(given().queryParam("sort", sort).when().get(Api.RESOURCES).then(), 400, "INVALID_PARAMETER")
                .body("error.details", hasKey("sort"))
                .body("error.message", containsString("createdAt"));
    }

    @ParameterizedTest(name = "cursor {0} is 400 naming cursor")
    @ValueSource(strings = {"!!!", "bm90IGEgY3Vyc29y", "aWQ6MA", "aWQ6LTU", "aWQ6eA", "bmFtZTo1", "Y3JlYXRlZEF0OjU6eA",
            "Y3JlYXRlZEF0OjU6OTk5OTk5OTk5OTk5OS4w", "dXBkYXRlZEF0OjU6MQ", "bmFtZTo1Om4AMA"})
    void damagedCursorIs400NamingCursor(String cursor) {
        // not base64; "not a cursor"; id:0; id:-5; id:x; name:5 without a value; createdAt:5:x; a year past 9999;
        // an unindexed sort; a name with a NUL
        Api.assertError(given().queryParam("cursor", cursor).queryParam("sort", "name").when().get(Api.RESOURCES)
                .then(), 400, "INVALID_PARAMETER").body("error.details", hasKey("cursor"));
    }

    @Test
    void cursorOfAnotherSortOrWithAPageIs400NamingCursor() {
        String type = Api.uniqueType("cursor-sort");
        for (int i = 0; i < 3; i++) {
            Api.create(7, "cursor " + i, type);
        }
        String byName = given().queryParam("type", type).queryParam("sort", "name").queryParam("limit", 1)
                .when().get(Api.RESOURCES).then().statusCode(200)
                .body("meta.pagination.nextCursor", notNullValue())
                .extract().jsonPath().getString("meta.pagination.nextCursor");
        given().queryParam("type", type).queryParam("sort", "name").queryParam("cursor", byName)
                .when().get(Api.RESOURCES).then().statusCode(200)
                .body("meta.pagination.page", equalTo(null))
                .body("meta.pagination", not(hasKey("total")));
        Api.assertError(given().queryParam("type", type).queryParam("sort", "-name").queryParam("cursor", byName)
                .when().get(Api.RESOURCES).then(), 400, "INVALID_PARAMETER")
                .body("error.details", hasKey("cursor"))
                .body("error.message", containsString("sort=name"));
        Api.assertError(given().queryParam("type", type).queryParam("cursor", byName)
                .when().get(Api.RESOURCES).then(), 400, "INVALID_PARAMETER")
                .body("error.details", hasKey("cursor"));
        Api.assertError(given().queryParam("type", type).queryParam("sort", "name").queryParam("cursor", byName)
                .queryParam("page", 2).when().get(Api.RESOURCES).then(), 400, "INVALID_PARAMETER")
                .body("error.details", hasKey("cursor"));
    }

    @Test
    void cursorIsOpaqueBase64UrlOfTheSortAndPosition() {
        String type = Api.uniqueType("cursor-shape");
        long first = Api.create(7, "a/b?c=d", type);
        Api.create(7, "a/b?c=e", type);
        String cursor = given().queryParam("type", type).queryParam("sort", "name").queryParam("limit", 1)
                .when().get(Api.RESOURCES).then().statusCode(200)
                .extract().jsonPath().getString("meta.pagination.nextCursor");
        assertEquals("name:" + first + ":a/b?c=d",
                new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    }

    @Test
    void totalIsCountedUpToTheBoundThenCapped() {
        String type = Api.uniqueType("capped");
        pool.preparedQuery("""
                insert into resources (name, type, owner_id)
                select 'capped ' || n, $1, 7 from generate_series(1, 10001) as n""")
                .execute(Tuple.of(type)).await().atMost(Duration.ofSeconds(30));

        try {
            JsonPath deepest = given().queryParam("type", type).queryParam("page", 100).queryParam("limit", 100)
                    .when().get(Api.RESOURCES).then().statusCode(200)
                    .body("meta.pagination.total", equalTo(10_000))
                    .body("meta.pagination.totalCapped", equalTo(true))
                    .body("meta.pagination.hasMore", equalTo(true))
                    .body("data.size()", equalTo(100))
                    .extract().jsonPath();
            // The deepest numbered page's cursor goes on past the bound: row 10,001 is reachable.
            given().queryParam("type", type).queryParam("limit", 100)
                    .queryParam("cursor", deepest.getString("meta.pagination.nextCursor"))
                    .when().get(Api.RESOURCES).then().statusCode(200)
                    .body("data.size()", equalTo(1))
                    .body("data[0].name", equalTo("capped 10001"))
                    .body("meta.pagination.hasMore", equalTo(false))
                    .body("meta.pagination", not(hasKey("nextCursor")));
        } finally {
            // other tests walk the whole table: leave it small
            pool.preparedQuery("delete from resources where type = $1").execute(Tuple.of(type))
                    .await().atMost(Duration.ofSeconds(30));
        }

        // Under the bound the total is exact and says so.
        String small = Api.uniqueType("exact");
        Api.create(7, "exact one", small);
        Api.create(7, "exact two", small);
        given().queryParam("type", small).queryParam("limit", 1).when().get(Api.RESOURCES).then().statusCode(200)
                .body("meta.pagination.total", equalTo(2))
                .body("meta.pagination.totalCapped", equalTo(false))
                .body("meta.pagination.hasMore", equalTo(true))
                .body("meta.pagination.nextCursor", notNullValue());
    }
}
