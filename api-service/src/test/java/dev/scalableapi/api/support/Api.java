package dev.scalableapi.api.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;

/** Small helpers shared by the functional tests. */
public final class Api {

    public static final String RESOURCES = "/api/v1/resources";

    private Api() {
    }

    /** A type no other test uses, so lists filtered by it see only this test's rows. */
    public static String uniqueType(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String json(String name, String type, String description) {
        return "{\"name\":" + quote(name) + ",\"type\":" + quote(type) + ",\"description\":"
                + (description == null ? "null" : quote(description)) + "}";
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Creates a resource owned by {@code caller} and returns its id. */
    public static long create(Callers.Caller caller, String name, String type, String description) {
        return given().filter(caller).contentType(ContentType.JSON).body(json(name, type, description))
                .when().post(RESOURCES)
                .then().statusCode(201)
                .extract().jsonPath().getLong("data.id");
    }

    public static long create(long ownerId, String name, String type) {
        return create(Callers.writer(ownerId), name, type, null);
    }

    /** Asserts the error envelope: status, code, a message, meta.requestId, and no stack trace anywhere. */
    public static ValidatableResponse assertError(ValidatableResponse response, int status, String code) {
        ValidatableResponse checked = response.log().ifValidationFails().statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo(code))
                .body("error.message", not(emptyOrNullString()))
                .body("meta.requestId", not(emptyOrNullString()))
                .body("meta.timestamp", not(emptyOrNullString()));
        String body = response.extract().asString();
        assertFalse(body.contains("\tat ") || body.contains("at dev.scalableapi") || body.contains("Exception")
                || body.contains("stackTrace"), () -> "error body leaks internals: " + body);
        return checked;
    }
}
