package dev.scalableapi.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.keys.ApiKeyFormat;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a user signs in and an admin creates and uses a key, no response of the accounts or admin API carries a
 * password, a password hash, a key's hash or the key itself — except the one response that issued it (the
 * creation, or the rotation for the secret it issued; the rotation does not show the secret it replaced).
 */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class NoResponseLeaksASecretTest {

    @Inject
    Pool pool;

    @Test
    void secretsAppearOnlyInTheResponseThatIssuedThem() {
        Accounts.User user = Accounts.create(pool, "user");
        String userToken = Accounts.token(user.email(), user.password());
        String adminToken = Accounts.rootToken();
        Response created = Accounts.as(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "leak check", "ownerId", user.id(), "tier", "free", "scopes", List.of("read")))
                .post("/api/v1/admin/keys");
        created.then().statusCode(201);
        String key = created.path("data.key");
        int keyId = created.path("data.details.id");
        assertTrue(created.asString().contains(key), "the creation response shows the key once");
        given().header("X-API-Key", key).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things")
                .then().statusCode(200);

        List<String> secrets = List.of(key, ApiKeyFormat.hash(key), key.substring(12), user.password(),
                Accounts.ROOT_PASSWORD, "$2a$", "$2b$", "$2y$", "password_hash", "passwordHash", "keyHash",
                "key_hash");
        List<Response> responses = new ArrayList<>();
        responses.add(given().contentType(ContentType.JSON).header("X-Forwarded-For", TestKeys.uniqueIp())
                .body(Map.of("email", user.email(), "password", user.password())).post("/api/v1/auth/login"));
        responses.add(given().contentType(ContentType.JSON).header("X-Forwarded-For", TestKeys.uniqueIp())
                .body(Map.of("email", Accounts.ROOT_EMAIL, "password", Accounts.ROOT_PASSWORD))
                .post("/api/v1/admin/login"));
        responses.add(given().contentType(ContentType.JSON).header("X-Forwarded-For", TestKeys.uniqueIp())
                .body(Map.of("email", user.email(), "password", "wrong")).post("/api/v1/auth/login"));
        responses.add(Accounts.as(userToken).get("/api/v1/me"));
        responses.add(given().header("X-API-Key", key).get("/api/v1/me"));
        for (String path : List.of("/api/v1/admin/me", "/api/v1/admin/dashboard", "/api/v1/admin/keys?limit=100",
                "/api/v1/admin/keys?q=leak", "/api/v1/admin/keys/" + keyId, "/api/v1/admin/keys/" + keyId + "/usage",
                "/api/v1/admin/metrics/current", "/api/v1/admin/metrics/history?minutes=5",
                "/api/v1/admin/circuit-breakers", "/api/v1/admin/cache", "/api/v1/admin/servers",
                "/api/v1/admin/logs?limit=200", "/api/v1/admin/audit?limit=200")) {
            Response response = Accounts.as(adminToken).get(path);
            response.then().statusCode(200);
            responses.add(response);
        }
        responses.add(Accounts.as(adminToken).contentType(ContentType.JSON).body(Map.of("name", "leak check 2"))
                .patch("/api/v1/admin/keys/" + keyId));
        Response rotated = Accounts.as(adminToken).contentType(ContentType.JSON).body(Map.of("graceSeconds", 60))
                .post("/api/v1/admin/keys/" + keyId + "/rotate");
        rotated.then().statusCode(200);
        String newKey = rotated.path("data.key");
        assertFalse(rotated.asString().contains(key), "the rotation response shows only the new key");
        responses.add(Accounts.as(adminToken).get("/api/v1/admin/keys/" + keyId));
        responses.add(Accounts.as(adminToken).get("/api/v1/admin/audit?limit=200"));
        responses.add(Accounts.as(adminToken).delete("/api/v1/admin/keys/" + keyId));
        secrets = new ArrayList<>(secrets);
        secrets.addAll(List.of(newKey, ApiKeyFormat.hash(newKey), newKey.substring(12)));

        for (Response response : responses) {
            String body = response.asString() + response.headers().toString();
            for (String secret : secrets) {
                assertFalse(body.contains(secret), "a response leaks '" + secret + "': " + body);
            }
        }
    }
}
