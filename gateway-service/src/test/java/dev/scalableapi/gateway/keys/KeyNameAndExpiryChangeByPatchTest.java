package dev.scalableapi.gateway.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /api/v1/admin/keys/{id}} with merge-patch meaning: {@code name} and {@code expiresAt} change, an
 * absent field stays, {@code "expiresAt": null} removes the expiry; a past expiry, a blank or null name and unknown
 * fields are 422 naming the field. A new expiry binds the key at once, although this replica holds it in cache.
 */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class KeyNameAndExpiryChangeByPatchTest {

    @Inject
    Pool pool;

    private String adminToken;
    private long id;
    private String key;

    @BeforeEach
    void createKey() {
        adminToken = Accounts.rootToken();
        Response created = Accounts.as(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "patched", "ownerId", TestKeys.user(pool, "user"), "tier", "free", "scopes",
                        List.of("read")))
                .post("/api/v1/admin/keys");
        created.then().statusCode(201);
        id = created.jsonPath().getLong("data.details.id");
        key = created.jsonPath().getString("data.key");
    }

    @Test
    void nameAndExpiryChangeAbsentFieldsStayAndNullRemovesTheExpiry() {
        Instant expires = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        patch(Map.of("expiresAt", expires.toString())).then().statusCode(200)
                .body("data.expiresAt", equalTo(expires.toString()))
                .body("data.name", equalTo("patched"));
        patch(Map.of("name", "  renamed ")).then().statusCode(200)
                .body("data.name", equalTo("renamed"))
                .body("data.expiresAt", equalTo(expires.toString()));
        Map<String, Object> clear = new HashMap<>();
        clear.put("expiresAt", null);
        patch(clear).then().statusCode(200).body("data.expiresAt", nullValue()).body("data.name", equalTo("renamed"));
        patch(Map.of()).then().statusCode(200).body("data.name", equalTo("renamed"));
        Accounts.as(adminToken).contentType("application/merge-patch+json").body(Map.of("name", "merged"))
                .patch("/api/v1/admin/keys/" + id).then().statusCode(200).body("data.name", equalTo("merged"));
    }

    @Test
    void invalidFieldsAre422NamingTheField() {
        invalid(Map.of("expiresAt", Instant.now().minusSeconds(60).toString()), "expiresAt");
        invalid(Map.of("expiresAt", "next tuesday"), "expiresAt");
        invalid(Map.of("name", " "), "name");
        invalid(Map.of("name", "x".repeat(101)), "name");
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        invalid(nullName, "name");
        invalid(Map.of("tier", "pro"), "tier");
        Accounts.as(adminToken).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .patch("/api/v1/admin/keys/999999999").then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void aNewExpiryBindsTheCachedKeyAtOnce() {
        call().then().statusCode(200);
        Instant expires = Instant.now().plusSeconds(2);
        patch(Map.of("expiresAt", expires.toString())).then().statusCode(200);
        Instant deadline = expires.plusSeconds(5);
        while (true) {
            Instant sent = Instant.now();
            Response answer = call();
            if (answer.statusCode() == 200) {
                assertTrue(sent.isBefore(expires), "accepted after its expiry");
                assertTrue(Instant.now().isBefore(deadline), "still accepted 5 s after its expiry");
                continue;
            }
            answer.then().statusCode(401).body("error.code", equalTo("AUTH_KEY_EXPIRED"));
            break;
        }
    }

    private void invalid(Map<String, ?> body, String field) {
        patch(body).then().statusCode(422).body("error.code", equalTo("VALIDATION_FAILED"))
                .body("error.details", hasKey(field));
    }

    private Response patch(Map<String, ?> body) {
        RequestSpecification request = Accounts.as(adminToken).contentType(ContentType.JSON).body(body);
        return request.patch("/api/v1/admin/keys/" + id);
    }

    private Response call() {
        return given().header("X-API-Key", key).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things");
    }
}
