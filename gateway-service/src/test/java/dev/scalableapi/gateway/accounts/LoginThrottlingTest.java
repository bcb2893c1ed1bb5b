package dev.scalableapi.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Guessing passwords stops after 5 failures per account or 20 per client address, on either login route, however
 * many attempts run in parallel: each check is reserved in Redis before bcrypt runs, and the counters always
 * expire. Login routes also spend the address's anonymous rate limit.
 */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class LoginThrottlingTest {

    @Inject
    Pool pool;

    @Inject
    LoginThrottle throttle;

    @Inject
    RedisDataSource redis;

    @Inject
    AccountsConfig config;

    @TestHTTPResource("/api/v1/auth/login")
    URI authLogin;

    @Test
    void twoHundredParallelWrongPasswordsForOneAccountGetFivePasswordChecks() throws Exception {
        Accounts.User user = Accounts.create(pool, "user");
        String ip = TestKeys.uniqueIp();
        double checksBefore = Metrics.value("gateway_login_password_checks_total");

        List<ParallelLogins.Answer> answers = ParallelLogins.send(authLogin, 200,
                i -> new ParallelLogins.Attempt(user.email(), "guess-" + i, ip));

        assertEquals(5.0, Metrics.value("gateway_login_password_checks_total") - checksBefore,
                "bcrypt checks for 200 parallel attempts");
        assertEquals(5, answers.stream().filter(a -> a.status() == 401).count(), "wrong passwords checked");
        List<ParallelLogins.Answer> refused = answers.stream().filter(a -> a.status() != 401).toList();
        assertEquals(195, refused.size());
        for (ParallelLogins.Answer answer : refused) {
            assertEquals(429, answer.status(), answer.body().encode());
            assertEquals("RATE_LIMIT_EXCEEDED", answer.code());
            assertTrue(answer.body().getJsonObject("meta").getString("requestId") != null, answer.body().encode());
            assertTrue(Long.parseLong(answer.retryAfter()) >= 1, "Retry-After " + answer.retryAfter());
        }
    }

    @Test
    void theAddressCapHoldsAcrossAccountsInParallel() throws Exception {
        String ip = TestKeys.uniqueIp();
        double checksBefore = Metrics.value("gateway_login_password_checks_total");

        List<ParallelLogins.Answer> answers = ParallelLogins.send(authLogin, 60,
                i -> new ParallelLogins.Attempt("spray-" + i + "-" + UUID.randomUUID() + "@test.invalid", "guess", ip));

        assertEquals(20.0, Metrics.value("gateway_login_password_checks_total") - checksBefore,
                "bcrypt checks for 60 parallel attempts on 60 accounts from one address");
        assertEquals(20, answers.stream().filter(a -> a.status() == 401).count());
        assertEquals(40, answers.stream().filter(a -> a.status() == 429 && "RATE_LIMIT_EXCEEDED".equals(a.code())
                && a.retryAfter() != null).count());
    }

    @Test
    void theCountersAlwaysExpireEvenWhenAnEarlierExpiryWasLost() {
        Accounts.User user = Accounts.create(pool, "user");
        String ip = TestKeys.uniqueIp();
        long window = config.throttle().window().toMillis();
        login("/api/v1/auth/login", user.email(), "guess", ip).then().statusCode(401);
        for (String key : List.of(throttle.accountKey(user.email()), throttle.addressKey(ip))) {
            long ttl = redis.key().pttl(key);
            assertTrue(ttl > 0 && ttl <= window, key + " expires: " + ttl);
        }

        // A counter at the limit without an expiry (an older gateway's EXPIRE was lost) would lock for good.
        Accounts.User locked = Accounts.create(pool, "user");
        String accountKey = throttle.accountKey(locked.email());
        redis.value(Long.class).set(accountKey, 5L);
        assertEquals(-1, redis.key().pttl(accountKey));
        login("/api/v1/auth/login", locked.email(), locked.password(), TestKeys.uniqueIp()).then().statusCode(429);
        long healed = redis.key().pttl(accountKey);
        assertTrue(healed > 0 && healed <= window, "the locked counter got an expiry: " + healed);

        // Below the limit, the next attempt gives it one too.
        String otherIp = TestKeys.uniqueIp();
        String addressKey = throttle.addressKey(otherIp);
        redis.value(Long.class).set(addressKey, 3L);
        login("/api/v1/auth/login", user.email(), "guess", otherIp).then().statusCode(401);
        long counted = redis.key().pttl(addressKey);
        assertTrue(counted > 0 && counted <= window, "the address counter got an expiry: " + counted);
        assertEquals(4L, redis.value(Long.class).get(addressKey));
    }

    @Test
    void loginRoutesSpendTheAnonymousLimitOfTheirAddress() {
        String ip = TestKeys.uniqueIp();
        Response first = login("/api/v1/auth/login", "nobody-" + UUID.randomUUID() + "@test.invalid", "guess", ip);
        first.then().statusCode(401).header("X-RateLimit-Limit", "100").header("X-RateLimit-Remaining", "99");
        // An anonymous proxied call from that address counts in the same window.
        given().header("X-Forwarded-For", ip).get("/api/v1/status").then().header("X-RateLimit-Remaining", "98");
        login("/api/v1/admin/login", "nobody-" + UUID.randomUUID() + "@test.invalid", "guess", ip).then()
                .statusCode(401).header("X-RateLimit-Remaining", "97");
        for (int i = 0; i < 97; i++) {
            given().header("X-Forwarded-For", ip).get("/api/v1/status");
        }
        double checksBefore = Metrics.value("gateway_login_password_checks_total");
        Accounts.User user = Accounts.create(pool, "user");
        Response limited = login("/api/v1/auth/login", user.email(), user.password(), ip);
        limited.then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"))
                .header("X-RateLimit-Remaining", "0").header("Retry-After", notNullValue());
        assertEquals(checksBefore, Metrics.value("gateway_login_password_checks_total"), "no password was checked");
    }

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

    @Test
    void successfulLoginsDoNotSpendTheirAddressesFailures() {
        // Many people behind one address (a NAT) may sign in: only failures count against the address.
        String ip = TestKeys.uniqueIp();
        for (int i = 0; i < 25; i++) {
            Accounts.User user = Accounts.create(pool, "user");
            login("/api/v1/auth/login", user.email(), user.password(), ip).then().statusCode(200);
        }
        assertEquals(0L, redis.value(Long.class).get(throttle.addressKey(ip)));
    }

    private static Response login(String path, String email, String password, String ip) {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post(path);
    }
}
