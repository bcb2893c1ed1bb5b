package dev.scalableapi.gateway.users;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.Accounts.User;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /api/v1/admin/users/{id}} with {@code status: disabled} (issue 16): within 5 s the user's login
 * token, admin session and API key are refused, and the user cannot sign in; enabling the user again lets the key
 * and a new sign-in work.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class DisablingAUserEndsItsSignInsTest {

    private static final Duration PROMISED = Duration.ofSeconds(5);

    @Inject
    Pool pool;

    @Test
    void aDisabledUsersTokenSessionAndKeyAreRefusedWithinFiveSeconds() {
        User user = Accounts.create(pool, "admin");
        String token = Accounts.token(user.email(), user.password());
        String session = given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", user.email(), "password", user.password())).post("/api/v1/admin/login")
                .then().statusCode(200).extract().cookie("sa_session");
        Issued key = TestKeys.ownedBy(pool, user.id(), "free", "read");
        Accounts.as(token).get("/api/v1/me").then().statusCode(200);
        given().cookie("sa_session", session).get("/api/v1/admin/me").then().statusCode(200);
        keyCall(key).then().statusCode(200);
        String root = Accounts.rootToken();

        status(root, user.id(), "disabled").then().statusCode(200).body("data.status", equalTo("disabled"));

        await("the token, the session and the key are refused").atMost(PROMISED)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Accounts.as(token).get("/api/v1/me").statusCode() == 401
                        && given().cookie("sa_session", session).get("/api/v1/admin/me").statusCode() == 401
                        && keyCall(key).statusCode() == 403);
        Accounts.login(user.email(), user.password()).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));

        status(root, user.id(), "active").then().statusCode(200);
        await("the key works again").atMost(PROMISED).pollInterval(Duration.ofMillis(100))
                .until(() -> keyCall(key).statusCode() == 200);
        Accounts.as(Accounts.token(user.email(), user.password())).get("/api/v1/me").then().statusCode(200);
    }

    private static Response status(String rootToken, long id, String status) {
        return Accounts.as(rootToken).contentType(ContentType.JSON).body(Map.of("status", status))
                .patch("/api/v1/admin/users/" + id);
    }

    private static Response keyCall(Issued key) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", key.key())
                .get("/api/v1/things");
    }
}
