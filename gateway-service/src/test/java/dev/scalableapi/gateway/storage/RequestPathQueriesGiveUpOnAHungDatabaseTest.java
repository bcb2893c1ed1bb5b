package dev.scalableapi.gateway.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request never waits on PostgreSQL without bound (issue 14, point 5): with a table locked, a login and an admin
 * query answer 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After} once {@code GATEWAY_DATABASE_TIMEOUT} (2 s)
 * is up, through the envelope, and work again once the lock is gone. The client would wait 30 s: without the
 * deadline these requests would hang until it gave up.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class RequestPathQueriesGiveUpOnAHungDatabaseTest {

    private static final RestAssuredConfig PATIENT = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 30_000));

    @Inject
    Pool pool;

    @Test
    void aLoginGivesUpOnALockedUsersTable() {
        Accounts.User user = Accounts.create(pool, "user");
        whileLocked("users", () -> login(user).then().statusCode(503)
                .body("error.code", equalTo("SERVICE_UNAVAILABLE")).body("meta.requestId", notNullValue())
                .header("Retry-After", notNullValue()));
        login(user).then().statusCode(200);
    }

    @Test
    void anAdminQueryGivesUpOnALockedTable() {
        String root = Accounts.rootToken();
        whileLocked("api_keys", () -> Accounts.as(root).config(PATIENT).get("/api/v1/admin/keys").then()
                .statusCode(503).body("error.code", equalTo("SERVICE_UNAVAILABLE"))
                .body("meta.requestId", notNullValue()).header("Retry-After", notNullValue()));
        Accounts.as(root).get("/api/v1/admin/keys").then().statusCode(200);
    }

    private static io.restassured.response.Response login(Accounts.User user) {
        RequestSpecification request = given().config(PATIENT).header("X-Forwarded-For", TestKeys.uniqueIp())
                .contentType(ContentType.JSON).body(Map.of("email", user.email(), "password", user.password()));
        return request.post("/api/v1/auth/login");
    }

    private void whileLocked(String table, Runnable calls) {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        Transaction locking = connection.begin().await().indefinitely();
        try {
            connection.query("lock table " + table + " in access exclusive mode").execute().await().indefinitely();
            calls.run();
        } finally {
            locking.rollback().await().indefinitely();
            connection.close().await().indefinitely();
        }
    }
}
