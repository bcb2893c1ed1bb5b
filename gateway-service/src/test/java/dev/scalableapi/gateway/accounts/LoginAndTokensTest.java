package dev.scalableapi.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users sign in for an opaque bearer token, use it on /me and on proxied routes, and sign out for good. */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class LoginAndTokensTest {

    @Inject
    Pool pool;

    @Test
    void aLoginGivesATokenThatWorksOnMeAndOnProxiedRoutesUntilLogout() {
        Accounts.User user = Accounts.create(pool, "user");
        Response login = given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", user.email(), "password", user.password())).post("/api/v1/auth/login");
        login.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("data.token", matchesPattern("ut_[A-Za-z0-9]{43}"))
                .body("data.tokenType", equalTo("Bearer"))
                .body("data.expiresIn", equalTo(3600))
                .body("data.user.id", equalTo((int) user.id()))
                .body("data.user.passwordHash", nullValue());
        assertFalse(login.asString().contains("$2a$"), "no password hash in the login answer");
        String token = login.path("data.token");

        Accounts.as(token).get("/api/v1/me").then().statusCode(200)
                .body("data.user.email", equalTo(user.email()))
                .body("data.user.role", equalTo("user"))
                .body("data.rateLimit.policy", equalTo("free"))
                .body("data.rateLimit.limit", equalTo(1000))
                .body("data.rateLimit.remaining", equalTo(1000));

        // the token is an identity on proxied routes: the upstream sees the signed user, limited per user
        Accounts.as(token).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things").then()
                .statusCode(200)
                .header("X-RateLimit-Limit", "1000")
                .body("headers.x-identity-user-id[0]", equalTo(String.valueOf(user.id())))
                .body("headers.x-identity-role[0]", equalTo("user"));
        // /me looks at the limit without spending it; the proxied call spent one
        Accounts.as(token).get("/api/v1/me").then().body("data.rateLimit.remaining", equalTo(999));

        Accounts.as(token).post("/api/v1/auth/logout").then().statusCode(200).body("data.signedOut", equalTo(true));
        Accounts.as(token).get("/api/v1/me").then().statusCode(401).body("error.code", equalTo("AUTH_REQUIRED"));
        Accounts.as(token).header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things").then()
                .statusCode(401).body("error.code", equalTo("AUTH_REQUIRED"));
        Accounts.as(token).post("/api/v1/auth/logout").then().statusCode(401);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswerAfterTheSameWork() {
        Accounts.User user = Accounts.create(pool, "user");
        double checks = Metrics.value("gateway_login_password_checks_total");

        Response wrongPassword = login(user.email(), "not-the-password");
        Response unknownEmail = login("nobody-" + user.email(), "not-the-password");

        for (Response response : new Response[] {wrongPassword, unknownEmail}) {
            response.then().statusCode(401)
                    .body("error.code", equalTo("AUTH_INVALID_CREDENTIALS"))
                    .body("error.message", equalTo("Email or password is incorrect"))
                    .body("meta.requestId", notNullValue());
        }
        // both paths ran exactly one bcrypt check: an unknown email costs what a wrong password costs
        assertEquals(checks + 2, Metrics.value("gateway_login_password_checks_total"));
    }

    @Test
    void meWithAnApiKeyShowsTheKeysOwnerAndTheKeysLimit() {
        TestKeys.Issued key = TestKeys.active(pool, "pro", "read");
        given().header("X-API-Key", key.key()).get("/api/v1/me").then().statusCode(200)
                .body("data.user.id", equalTo((int) key.ownerId()))
                .body("data.keyId", equalTo((int) key.keyId()))
                .body("data.rateLimit.policy", equalTo("pro"))
                .body("data.rateLimit.limit", equalTo(10000));
    }

    @Test
    void badLoginBodiesAreRefusedWithTheEnvelope() {
        given().contentType(ContentType.JSON).body("{\"email\":").post("/api/v1/auth/login").then()
                .statusCode(400).body("error.code", equalTo("MALFORMED_JSON"));
        given().contentType(ContentType.JSON).body(Map.of("email", "a@b.c")).post("/api/v1/auth/login").then()
                .statusCode(422).body("error.code", equalTo("VALIDATION_FAILED"))
                .body("error.details.password", notNullValue());
        given().contentType(ContentType.JSON).body(Map.of("email", "a@b.c", "password", "x", "role", "admin"))
                .post("/api/v1/auth/login").then()
                .statusCode(422).body("error.code", equalTo("VALIDATION_FAILED"))
                .body("error.details.role", notNullValue());
        given().get("/api/v1/me").then().statusCode(401).body("error.code", equalTo("AUTH_REQUIRED"));
    }

    private static Response login(String email, String password) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/api/v1/auth/login");
    }
}
