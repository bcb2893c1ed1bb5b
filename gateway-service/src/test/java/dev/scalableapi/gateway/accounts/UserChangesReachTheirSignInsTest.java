package dev.scalableapi.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A change to a user — made in SQL, as there is no users admin API yet, or by an admin's "sign out everywhere" —
 * reaches every cached copy of the user within 5 s (issue 14, point 12): the user's login tokens and admin
 * sessions end, and the cached records of the user's keys are read again (a disabled owner's key is refused).
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class UserChangesReachTheirSignInsTest {

    /** The promise; the change is seen at the next read of credential_changes (every second). */
    private static final Duration PROMISED = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    Pool pool;

    @Inject
    UserSignIns signIns;

    @Test
    void aRoleChangeInSqlEndsTokensAndSessionsAndReachesTheUsersKeys() {
        User admin = Accounts.create(pool, "admin");
        String token = Accounts.token(admin.email(), admin.password());
        String session = adminSession(admin);
        Issued key = TestKeys.ownedBy(pool, admin.id(), "pro", "read");
        Accounts.as(token).get("/api/v1/admin/me").then().statusCode(200);
        given().cookie("sa_session", session).get("/api/v1/admin/me").then().statusCode(200);
        assertEquals("admin", roleSentUpstreamFor(key));

        sql("update users set role = 'user' where id = $1", admin.id());

        await("the change reaches tokens, sessions and keys").atMost(PROMISED)
                .pollInterval(Duration.ofMillis(100)).until(() ->
                        Accounts.as(token).get("/api/v1/me").statusCode() == 401
                                && given().cookie("sa_session", session).get("/api/v1/admin/me").statusCode() == 401
                                && "user".equals(roleSentUpstreamFor(key)));
        // signing in again gives the new role
        String again = Accounts.token(admin.email(), admin.password());
        Accounts.as(again).get("/api/v1/admin/me").then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
    }

    @Test
    void disablingInSqlEndsSignInsRefusesKeysAndLoginsUntilEnabledAgain() {
        User user = Accounts.create(pool, "user");
        String token = Accounts.token(user.email(), user.password());
        Issued key = TestKeys.ownedBy(pool, user.id(), "free", "read");
        keyCall(key).then().statusCode(200);
        Accounts.as(token).get("/api/v1/me").then().statusCode(200);

        sql("update users set status = 'disabled' where id = $1", user.id());

        await("the change reaches the token and the key").atMost(PROMISED).pollInterval(Duration.ofMillis(100))
                .until(() -> Accounts.as(token).get("/api/v1/me").statusCode() == 401
                        && keyCall(key).statusCode() == 403);
        keyCall(key).then().body("error.code", equalTo("FORBIDDEN"));
        login(user).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));

        sql("update users set status = 'active' where id = $1", user.id());
        login(user).then().statusCode(200);
        await("the key works again").atMost(PROMISED).pollInterval(Duration.ofMillis(100))
                .until(() -> keyCall(key).statusCode() == 200);
    }

    @Test
    void anAdminSignsAUserOutEverywhereAtOnce() {
        User target = Accounts.create(pool, "admin");
        String token = Accounts.token(target.email(), target.password());
        String session = adminSession(target);
        String rootToken = Accounts.rootToken();

        Accounts.as(rootToken).post("/api/v1/admin/users/" + target.id() + "/sessions/revoke").then()
                .statusCode(200).body("data.userId", equalTo((int) target.id())).body("data.ended", equalTo(2));

        // no waiting: the call returns once they have ended
        Accounts.as(token).get("/api/v1/me").then().statusCode(401).body("error.code", equalTo("AUTH_REQUIRED"));
        given().cookie("sa_session", session).get("/api/v1/admin/me").then().statusCode(401);
        // the user can sign in again at once, and that sign-in is not ended by the change arriving later
        String fresh = Accounts.token(target.email(), target.password());
        for (int i = 0; i < 3; i++) {
            Accounts.as(fresh).get("/api/v1/admin/me").then().statusCode(200);
        }

        Accounts.as(rootToken).post("/api/v1/admin/users/999999999/sessions/revoke").then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND")).body("meta.requestId", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aSignInThatReadTheUserBeforeAChangeCannotStoreItsToken() {
        long userId = TestKeys.user(pool, "user");
        String entry = "test:" + UUID.randomUUID();
        signIns.endBefore(userId, 10).await().atMost(TIMEOUT);

        CompletionException refused = assertThrows(CompletionException.class, () -> signIns
                .store(entry, "v", Duration.ofMinutes(1), userId, 9).subscribeAsCompletionStage().join());
        assertEquals(ErrorCode.CONFLICT, ((ApiException) refused.getCause()).code());
        signIns.store(entry, "v", Duration.ofMinutes(1), userId, 10).await().atMost(TIMEOUT);
        assertEquals(0L, signIns.endBefore(userId, 10).await().atMost(TIMEOUT), "same version: kept");
        assertEquals(1L, signIns.endBefore(userId, 11).await().atMost(TIMEOUT), "newer version: ended");
    }

    private static String adminSession(User admin) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", admin.email(), "password", admin.password())).post("/api/v1/admin/login")
                .then().statusCode(200).extract().cookie("sa_session");
    }

    private static Response login(User user) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", user.email(), "password", user.password())).post("/api/v1/auth/login");
    }

    private static Response keyCall(Issued key) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", key.key())
                .get("/api/v1/things");
    }

    /** The role the gateway vouched for when it proxied a call made with the key (the echo upstream shows it). */
    private static String roleSentUpstreamFor(Issued key) {
        Response response = keyCall(key);
        response.then().statusCode(200);
        return response.jsonPath().getString("headers.'x-identity-role'[0]");
    }

    private void sql(String statement, long id) {
        pool.preparedQuery(statement).execute(Tuple.of(id)).await().atMost(TIMEOUT);
    }
}
