package dev.scalableapi.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Guessing passwords stops after 5 failures per account or 20 per client address, on either login route. */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class LoginThrottlingTest {

    @Inject
    Pool pool;

    @Test
    void fiveFailuresLockTheAccountEvenForTheRightPasswordAndFromOtherAddresses() {
        Accounts.User user = Accounts.create(pool, "user");
        for (int i = 0; i < 5; i++) {
            login("/api/v1/auth/login", user.email(), "guess-" + i, TestKeys.uniqueIp()).then().statusCode(401);
        }
        Response locked = login("/api/v1/auth/login", user.email(), user.password(), TestKeys.uniqueIp());
        locked.then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After within the 15 min window: " + retryAfter);
        // the admin login shares the counter
        login("/api/v1/admin/login", user.email(), user.password(), TestKeys.uniqueIp()).then().statusCode(429);

        // another account is not affected
        Accounts.User other = Accounts.create(pool, "user");
        login("/api/v1/auth/login", other.email(), other.password(), TestKeys.uniqueIp()).then().statusCode(200);
    }

    @Test
    void twentyFailuresFromOneAddressLockThatAddressForEveryAccount() {
        String ip = TestKeys.uniqueIp();
        for (int i = 0; i < 20; i++) {
            login("/api/v1/auth/login", "spray-" + UUID.randomUUID() + "@test.invalid", "guess", ip).then()
                    .statusCode(401);
        }
        Accounts.User user = Accounts.create(pool, "user");
        login("/api/v1/auth/login", user.email(), user.password(), ip).then().statusCode(429)
                .body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));
        login("/api/v1/auth/login", user.email(), user.password(), TestKeys.uniqueIp()).then().statusCode(200);
    }

    @Test
    void aSuccessfulLoginClearsTheAccountsFailures() {
        Accounts.User user = Accounts.create(pool, "user");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                login("/api/v1/auth/login", user.email(), "guess", TestKeys.uniqueIp()).then().statusCode(401);
            }
            login("/api/v1/auth/login", user.email(), user.password(), TestKeys.uniqueIp()).then().statusCode(200);
        }
    }

    private static Response login(String path, String email, String password, String ip) {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post(path);
    }
}
