package dev.scalableapi.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin session's cookie slides while the operator is active (issue 14, point 12): it is issued again — same
 * session, same CSRF token — with its lifetime restarted, but never past the session's maximum lifetime. Here the
 * cookie is due again on every request and the maximum lifetime (10 min) is shorter than the idle timeout (30 min),
 * so every cookie the gateway sends must stop at the maximum. ({@code AdminSessionCookieAndCsrfTest}: with the
 * default interval, a request right after login gets no new cookie.)
 */
@QuarkusTest
@TestProfile(AdminSessionCookieSlidesTest.RenewedOnEveryRequest.class)
class AdminSessionCookieSlidesTest {

    public static class RenewedOnEveryRequest extends WithEchoUpstream {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.admin.session.cookie-renew-after", "0s",
                    "gateway.admin.session.max-lifetime", "10m");
        }
    }

    private static final long MAX_LIFETIME_SECONDS = 600;

    @Test
    void anActiveSessionsCookieIsIssuedAgainUpToTheMaximumLifetime() {
        Response login = given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", Accounts.ROOT_EMAIL, "password", Accounts.ROOT_PASSWORD))
                .post("/api/v1/admin/login");
        login.then().statusCode(200);
        Cookie first = login.getDetailedCookie("sa_session");
        assertEquals(MAX_LIFETIME_SECONDS, first.getMaxAge(), "the idle timeout (30 min) capped by the maximum");
        String csrf = login.path("data.csrfToken");

        Response read = given().cookie("sa_session", first.getValue()).get("/api/v1/admin/me");
        read.then().statusCode(200).body("data.csrfToken", equalTo(csrf));
        Cookie renewed = read.getDetailedCookie("sa_session");
        assertEquals(first.getValue(), renewed.getValue(), "the same session");
        assertTrue(renewed.getMaxAge() > 0 && renewed.getMaxAge() <= MAX_LIFETIME_SECONDS,
                "Max-Age " + renewed.getMaxAge());
        assertTrue(renewed.isHttpOnly() && renewed.isSecured());
        assertEquals("Strict", renewed.getSameSite());
        assertEquals("/", renewed.getPath());

        // writes keep working with the same CSRF token, and get the cookie again too
        Response write = given().cookie("sa_session", renewed.getValue()).header("X-CSRF-Token", csrf)
                .post("/api/v1/admin/cache/clear");
        write.then().statusCode(200);
        assertEquals(first.getValue(), write.getDetailedCookie("sa_session").getValue());

        // logging out still ends it, though the filter re-issued its cookie on the way in
        given().cookie("sa_session", first.getValue()).header("X-CSRF-Token", csrf).post("/api/v1/admin/logout")
                .then().statusCode(200);
        given().cookie("sa_session", first.getValue()).get("/api/v1/admin/me").then().statusCode(401);
    }
}
