package dev.scalableapi.api.requestid;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class RequestIdTest {

    private static final String HEADER = "X-Request-ID";
    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @ParameterizedTest
    @ValueSource(strings = {"abc-123", "client.req_42", "A", "x234567890123456789012345678901234567890123456789012345678901234"})
    void saneClientIdIsEchoedInHeaderAndMeta(String id) {
        given().header(HEADER, id).when().get("/api/v1/status")
                .then().statusCode(200)
                .header(HEADER, id)
                .body("meta.requestId", equalTo(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // 65 characters: one too many
            "x2345678901234567890123456789012345678901234567890123456789012345",
            "has space", "semi;colon", "slash/", "<script>", "quote\"d", "ümlaut"})
    void insaneClientIdIsReplacedWithAGeneratedOne(String id) {
        Response response = given().header(HEADER, id).when().get("/api/v1/status");
        response.then().statusCode(200);
        String echoed = response.header(HEADER);
        assertNotEquals(id, echoed);
        assertTrue(UUID_FORM.matcher(echoed).matches(), echoed);
        assertEquals(echoed, response.jsonPath().getString("meta.requestId"));
    }

    @Test
    void absentIdIsGeneratedAndDiffersPerRequest() {
        Response first = given().when().get("/api/v1/status");
        Response second = given().when().get("/api/v1/status");
        String a = first.header(HEADER);
        String b = second.header(HEADER);
        assertTrue(UUID_FORM.matcher(a).matches(), a);
        assertTrue(UUID_FORM.matcher(b).matches(), b);
        assertNotEquals(a, b);
        assertEquals(a, first.jsonPath().getString("meta.requestId"));
        assertEquals(b, second.jsonPath().getString("meta.requestId"));
    }

    @Test
    void errorResponsesCarryTheRequestId() {
        String id = "err-" + UUID.randomUUID();
        given().header(HEADER, id).when().get(Api.RESOURCES + "/" + Long.MAX_VALUE)
                .then().statusCode(404).header(HEADER, id).body("meta.requestId", equalTo(id));
        given().header(HEADER, id).queryParam("limit", 101).when().get(Api.RESOURCES)
                .then().statusCode(400).header(HEADER, id).body("meta.requestId", equalTo(id));
        given().header(HEADER, id).contentType("application/json").body("{")
                .when().post(Api.RESOURCES)
                .then().statusCode(400).header(HEADER, id).body("meta.requestId", equalTo(id));
        given().header(HEADER, id).when().get("/api/v1/no-such-route")
                .then().statusCode(404).header(HEADER, id);
    }

    @Test
    void managementPathsOnTheTrafficPortCarryTheRequestId() {
        String id = "health-" + UUID.randomUUID();
        given().header(HEADER, id).when().get("/q/health").then().statusCode(404).header(HEADER, id);
        String generated = given().when().get("/q/health/ready").then().statusCode(404).extract().header(HEADER);
        assertTrue(generated != null && UUID_FORM.matcher(generated).matches(), String.valueOf(generated));
    }
}
