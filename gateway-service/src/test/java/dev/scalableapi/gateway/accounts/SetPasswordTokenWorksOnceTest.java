package dev.scalableapi.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A user an admin created without a password sets one with the one-time token of the creation answer: the token
 * works once, not after it expired, a wrong token is refused naming it, and the password follows the same rules
 * as the bootstrap admin's.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class SetPasswordTokenWorksOnceTest {

    private static final String SET_PASSWORD = "/api/v1/auth/password";

    @Inject
    Pool pool;

    private record Invited(String email, String token) {
    }

    @Test
    void theTokenSetsThePasswordOnceThenTheUserSignsIn() {
        Invited invited = invite();
        String password = "my-own-password-" + UUID.randomUUID();

        setPassword(invited.token(), password).then().statusCode(200).header("Cache-Control", "no-store")
                .body("data.passwordSet", equalTo(true)).body("data.email", equalTo(invited.email()));
        Accounts.as(Accounts.token(invited.email(), password)).get("/api/v1/me").then().statusCode(200);

        // used: refused, and the password stays the one set
        setPassword(invited.token(), "a-different-password-" + UUID.randomUUID()).then().statusCode(422)
                .body("error.code", equalTo("VALIDATION_FAILED")).body("error.details.token", notNullValue());
        Accounts.token(invited.email(), password);
    }

    @Test
    void aWrongTokenIsRefusedNamingIt() {
        setPassword("pst_" + "x".repeat(43), "a-long-enough-password").then().statusCode(422)
                .body("error.code", equalTo("VALIDATION_FAILED")).body("error.details.token", notNullValue());
        setPassword("", "a-long-enough-password").then().statusCode(422).body("error.details.token", notNullValue());
    }

    @Test
    void anExpiredTokenIsRefused() {
        Invited invited = invite();
        pool.preparedQuery("update password_setup_tokens set expires_at = now() - interval '1 second' "
                        + "where user_id = (select id from users where email = $1)")
                .execute(Tuple.of(invited.email())).await().atMost(Duration.ofSeconds(15));

        setPassword(invited.token(), "a-long-enough-password").then().statusCode(422)
                .body("error.details.token", notNullValue());
        Accounts.login(invited.email(), "a-long-enough-password").then().statusCode(401);
    }

    @Test
    void aWeakPasswordIsRefusedAndKeepsTheTokenUsable() {
        Invited invited = invite();
        setPassword(invited.token(), "short").then().statusCode(422).body("error.details.password", notNullValue());
        setPassword(invited.token(), "changeme").then().statusCode(422).body("error.details.password", notNullValue());
        setPassword(invited.token(), "now-a-long-enough-password").then().statusCode(200);
    }

    private Invited invite() {
        String email = "invited-" + UUID.randomUUID() + "@example.com";
        String token = Accounts.as(Accounts.rootToken()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "role", "user", "tier", "free")).post("/api/v1/admin/users")
                .then().statusCode(201).extract().path("data.setPasswordToken");
        return new Invited(email, token);
    }

    private static Response setPassword(String token, String password) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("token", token, "password", password)).post(SET_PASSWORD);
    }
}
