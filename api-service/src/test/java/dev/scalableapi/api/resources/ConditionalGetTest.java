package dev.scalableapi.api.resources;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConditionalGetTest {

    private static final long OWNER = 31;

    @Test
    void ifNoneMatchWithCurrentEtagIs304WithoutBody() {
        long id = Api.create(OWNER, "conditional", Api.uniqueType("cond"));
        String etag = given().when().get(Api.RESOURCES + "/" + id).then().statusCode(200).extract().header("ETag");

        Response notModified = given().header("If-None-Match", etag).when().get(Api.RESOURCES + "/" + id);
        notModified.then().statusCode(304).header("ETag", etag);
        assertEquals("", notModified.asString());

        // A list of tags containing the current one, and the weak form, match too.
        given().header("If-None-Match", "\"999\", " + etag).when().get(Api.RESOURCES + "/" + id)
                .then().statusCode(304);
        given().header("If-None-Match", "W/" + etag).when().get(Api.RESOURCES + "/" + id)
                .then().statusCode(304);
        // Another tag does not.
        given().header("If-None-Match", "\"999\"").when().get(Api.RESOURCES + "/" + id)
                .then().statusCode(200).body("data.id", equalTo((int) id));
    }

    @Test
    void afterAnUpdateTheOldEtagGets200WithTheNewVersion() {
        String type = Api.uniqueType("cond2");
        long id = Api.create(OWNER, "before", type);
        String oldEtag = given().when().get(Api.RESOURCES + "/" + id).then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", oldEtag).when().get(Api.RESOURCES + "/" + id).then().statusCode(304);

        given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON).body(Api.json("after", type, null))
                .when().put(Api.RESOURCES + "/" + id).then().statusCode(200);

        String newEtag = given().header("If-None-Match", oldEtag).when().get(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .body("data.name", equalTo("after"))
                .body("data.version", equalTo(1))
                .extract().header("ETag");
        assertNotEquals(oldEtag, newEtag);
        given().header("If-None-Match", newEtag).when().get(Api.RESOURCES + "/" + id).then().statusCode(304);
    }
}
