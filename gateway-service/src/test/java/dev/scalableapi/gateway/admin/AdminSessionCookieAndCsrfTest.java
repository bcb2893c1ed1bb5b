package dev.scalableapi.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's session: a hardened cookie, a CSRF token required on writes, and only for admins. */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class AdminSessionCookieAndCsrfTest {

    @Inject
    Pool pool;

    @Test
    void loginSetsAnHttpOnlySameSiteStrictSecureCookieAndHandsOutTheCsrfToken() {
        Response login = adminLogin(Accounts.ROOT_EMAIL, Accounts.ROOT_PASSWORD);
        login.then().statusCode(200).header("Cache-Control", "no-store")
                .body("data.user.role", equalTo("admin"))
                .body("data.csrfToken", matchesPattern("[A-Za-z0-9]{43}"));
        Cookie cookie = login.getDetailedCookie("sa_session");
        assertTrue(cookie.isHttpOnly(), "HttpOnly");
        assertTrue(cookie.isSecured(), "Secure outside the dev profile");
        assertEquals("Strict", cookie.getSameSite());
        assertEquals("/", cookie.getPath());
        assertEquals(1800, cookie.getMaxAge());
        assertTrue(cookie.getValue().matches("[A-Za-z0-9]{43}"), "a long random session id");
        // the session shows the same CSRF token again (after a page reload)
        Response me = session(cookie).get("/api/v1/admin/me");
        me.then().statusCode(200)
                .body("data.csrfToken", equalTo(login.path("data.csrfToken")))
                .body("data.user.email", equalTo(Accounts.ROOT_EMAIL));
        // the cookie is issued again at most once a minute (ADMIN_SESSION_COOKIE_RENEW_AFTER), not on every request
        assertNull(me.getDetailedCookie("sa_session"));
    }

    @Test
    void writesThroughTheSessionNeedTheSessionsCsrfToken() {
        Response login = adminLogin(Accounts.ROOT_EMAIL, Accounts.ROOT_PASSWORD);
        Cookie cookie = login.getDetailedCookie("sa_session");
        String csrf = login.path("data.csrfToken");
        String otherSessionsCsrf = adminLogin(Accounts.ROOT_EMAIL, Accounts.ROOT_PASSWORD).path("data.csrfToken");
        Map<String, Object> newKey = Map.of("name", "csrf test", "ownerId", 1, "tier", "free",
                "scopes", java.util.List.of("read"));

        session(cookie).contentType(ContentType.JSON).body(newKey).post("/api/v1/admin/keys").then()
                .statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        session(cookie).header("X-CSRF-Token", otherSessionsCsrf).contentType(ContentType.JSON).body(newKey)
                .post("/api/v1/admin/keys").then().statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        session(cookie).header("X-CSRF-Token", csrf).post("/api/v1/admin/cache/clear").then().statusCode(200);
        // reads need no token
        session(cookie).get("/api/v1/admin/keys").then().statusCode(200);
        // an admin's bearer token needs none either: browsers never send it on their own
        Accounts.as(Accounts.rootToken()).post("/api/v1/admin/cache/clear").then().statusCode(200);
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        Response login = adminLogin(Accounts.ROOT_EMAIL, Accounts.ROOT_PASSWORD);
        Cookie cookie = login.getDetailedCookie("sa_session");
        session(cookie).post("/api/v1/admin/logout").then().statusCode(403)
                .body("error.code", equalTo("CSRF_REJECTED"));
        Response logout = session(cookie).header("X-CSRF-Token", (String) login.path("data.csrfToken"))
                .post("/api/v1/admin/logout");
        logout.then().statusCode(200).body("data.signedOut", equalTo(true));
        assertEquals(0, logout.getDetailedCookie("sa_session").getMaxAge());
        session(cookie).get("/api/v1/admin/me").then().statusCode(401).body("error.code", equalTo("AUTH_REQUIRED"));
    }

    @Test
    void aUserWithTheRightPasswordGetsNoSession() {
        Accounts.User user = Accounts.create(pool, "user");
        Response login = adminLogin(user.email(), user.password());
        login.then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        assertNull(login.getDetailedCookie("sa_session"));
    }

    @Test
    void aForgedOrUnknownSessionIsNotASession() {
        given().cookie("sa_session", "A".repeat(43)).get("/api/v1/admin/me").then().statusCode(401)
                .body("error.code", equalTo("AUTH_REQUIRED"));
        given().cookie("sa_session", "x".repeat(5000)).get("/api/v1/admin/me").then().statusCode(401);
    }

    private static Response adminLogin(String email, String password) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/api/v1/admin/login");
    }

    private static io.restassured.specification.RequestSpecification session(Cookie cookie) {
        return given().cookie("sa_session", cookie.getValue());
    }
}
