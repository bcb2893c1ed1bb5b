package dev.scalableapi.gateway.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/admin/keys/{id}/rotate}: the new secret is shown once; the key keeps its id and its rate-limit
 * subject; the replaced secret works until the grace ends and is refused from then on with AUTH_KEY_EXPIRED, even
 * by this replica, which holds it in its in-process cache; rotating again ends the older secret at once; revoking
 * ends both. Every old secret here is warm in the cache before it changes.
 */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class RotatedKeysKeepTheirOldSecretForTheGraceTest {

    /** The promise: an ended secret is refused everywhere within 5 s of its grace's end. */
    private static final Duration PROMISE = Duration.ofSeconds(5);

    @Inject
    Pool pool;

    private String adminToken;
    private long ownerId;

    @BeforeEach
    void signIn() {
        adminToken = Accounts.rootToken();
        ownerId = TestKeys.user(pool, "user");
    }

    @Test
    void bothSecretsWorkDuringTheGraceAndShareOneKey() {
        Response created = create();
        long id = created.jsonPath().getLong("data.details.id");
        String old = created.jsonPath().getString("data.key");
        long before = remaining(call(old).then().statusCode(200).extract().response());

        Response rotated = rotate(id, Map.of());
        rotated.then().statusCode(200).header("Cache-Control", "no-store")
                .body("data.details.id", equalTo((int) id))
                .body("data.details.status", equalTo("active"))
                .body("data.key", startsWith("sk_test_"));
        String fresh = rotated.jsonPath().getString("data.key");
        assertNotEquals(old, fresh);
        assertEquals(ApiKeyFormat.prefix(fresh), rotated.jsonPath().getString("data.details.prefix"));
        Duration grace = Duration.between(Instant.now(),
                Instant.parse(rotated.jsonPath().getString("data.details.previousKeyExpiresAt")));
        assertTrue(grace.compareTo(Duration.ofHours(23)) > 0 && grace.compareTo(Duration.ofHours(24)) <= 0,
                "default grace 24 h, got " + grace);

        // one key, one rate-limit subject (key:<id>): each secret's request counts against the same window
        long afterFresh = remaining(call(fresh).then().statusCode(200).extract().response());
        long afterOld = remaining(call(old).then().statusCode(200).extract().response());
        assertEquals(before - 1, afterFresh);
        assertEquals(before - 2, afterOld);
        given().header("X-API-Key", old).get("/api/v1/me").then().statusCode(200).body("data.keyId", equalTo((int) id));
        given().header("X-API-Key", fresh).get("/api/v1/me").then().statusCode(200)
                .body("data.keyId", equalTo((int) id));
    }

    @Test
    void rotatingAgainEndsTheOlderSecretAtOnce() {
        Response created = create();
        long id = created.jsonPath().getLong("data.details.id");
        String first = created.jsonPath().getString("data.key");
        String second = rotate(id, Map.of("graceSeconds", 3600)).then().statusCode(200).extract().path("data.key");
        call(first).then().statusCode(200);
        call(second).then().statusCode(200);

        String third = rotate(id, Map.of("graceSeconds", 3600)).then().statusCode(200).extract().path("data.key");
        refused(first, "AUTH_INVALID_KEY");
        call(second).then().statusCode(200);
        call(third).then().statusCode(200);
    }

    @Test
    void aGraceOfZeroEndsTheOldSecretAtOnce() {
        Response created = create();
        long id = created.jsonPath().getLong("data.details.id");
        String old = created.jsonPath().getString("data.key");
        call(old).then().statusCode(200);

        String fresh = rotate(id, Map.of("graceSeconds", 0)).then().statusCode(200).extract().path("data.key");
        refused(old, "AUTH_KEY_EXPIRED");
        call(fresh).then().statusCode(200);
    }

    @Test
    void theOldSecretWorksUntilTheGraceEndsThenIsRefused() {
        Response created = create();
        long id = created.jsonPath().getLong("data.details.id");
        String old = created.jsonPath().getString("data.key");
        call(old).then().statusCode(200);

        Response rotated = rotate(id, Map.of("graceSeconds", 2));
        rotated.then().statusCode(200);
        Instant graceEnds = Instant.parse(rotated.jsonPath().getString("data.details.previousKeyExpiresAt"));
        Instant deadline = graceEnds.plus(PROMISE);
        while (true) {
            Instant sent = Instant.now();
            Response answer = call(old);
            Instant answered = Instant.now();
            if (answer.statusCode() == 200) {
                // the gateway decided at some instant between sent and answered: before the grace's end
                assertTrue(sent.isBefore(graceEnds), "accepted though sent " + Duration.between(graceEnds, sent)
                        .toMillis() + " ms after the grace ended");
                assertTrue(answered.isBefore(deadline), "still accepted " + PROMISE + " after the grace ended");
                continue;
            }
            answer.then().statusCode(401).body("error.code", equalTo("AUTH_KEY_EXPIRED"));
            assertTrue(!answered.isBefore(graceEnds), "refused before the grace ended");
            break;
        }
        call(rotated.jsonPath().getString("data.key")).then().statusCode(200);
    }

    @Test
    void revokingARotatedKeyEndsBothSecrets() {
        Response created = create();
        long id = created.jsonPath().getLong("data.details.id");
        String old = created.jsonPath().getString("data.key");
        String fresh = rotate(id, Map.of()).then().statusCode(200).extract().path("data.key");
        call(old).then().statusCode(200);
        call(fresh).then().statusCode(200);

        Accounts.as(adminToken).delete("/api/v1/admin/keys/" + id).then().statusCode(200);
        refused(old, "AUTH_KEY_REVOKED");
        refused(fresh, "AUTH_KEY_REVOKED");
        rotate(id, Map.of()).then().statusCode(409).body("error.code", equalTo("CONFLICT"));
    }

    @Test
    void graceOutsideZeroToSevenDaysIs422NamingTheField() {
        long id = create().jsonPath().getLong("data.details.id");
        for (Object grace : List.of(-1, 604_801, "a day")) {
            rotate(id, Map.of("graceSeconds", grace)).then().statusCode(422)
                    .body("error.code", equalTo("VALIDATION_FAILED"))
                    .body("error.details", hasKey("graceSeconds"));
        }
        rotate(id, Map.of("graceSeconds", 604_800)).then().statusCode(200);
        rotate(id, Map.of("grace", 60)).then().statusCode(422).body("error.details", hasKey("grace"));
        rotate(999_999_999L, Map.of()).then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        // without a body: the default grace
        Accounts.as(adminToken).contentType(ContentType.JSON).post("/api/v1/admin/keys/" + id + "/rotate").then()
                .statusCode(200);
    }

    private Response create() {
        Response created = Accounts.as(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "rotated", "ownerId", ownerId, "tier", "free", "scopes", List.of("read")))
                .post("/api/v1/admin/keys");
        created.then().statusCode(201);
        return created;
    }

    private Response rotate(long id, Map<String, ?> body) {
        return Accounts.as(adminToken).contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/keys/" + id + "/rotate");
    }

    private static Response call(String key) {
        return given().header("X-API-Key", key).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things");
    }

    private static void refused(String key, String code) {
        call(key).then().statusCode(401).body("error.code", equalTo(code));
    }

    private static long remaining(Response response) {
        return Long.parseLong(response.header("X-RateLimit-Remaining"));
    }
}
