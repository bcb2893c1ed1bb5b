package dev.scalableapi.gateway.admin;

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
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every admin route: 401 AUTH_REQUIRED without credentials, 403 FORBIDDEN for a user, served for an admin. */
@QuarkusTest
@QuarkusTestResource(EchoUpstreamResource.class)
class EveryAdminRouteChecksRoleTest {

    private record Route(String method, String path) {
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/v1/admin/me"),
            new Route("POST", "/api/v1/admin/logout"),
            new Route("GET", "/api/v1/admin/dashboard"),
            new Route("GET", "/api/v1/admin/keys"),
            new Route("POST", "/api/v1/admin/keys"),
            new Route("GET", "/api/v1/admin/keys/{key}"),
            new Route("PATCH", "/api/v1/admin/keys/{key}"),
            new Route("POST", "/api/v1/admin/keys/{key}/rotate"),
            new Route("DELETE", "/api/v1/admin/keys/{key}"),
            new Route("GET", "/api/v1/admin/keys/{key}/usage"),
            new Route("GET", "/api/v1/admin/metrics/current"),
            new Route("GET", "/api/v1/admin/metrics/history"),
            new Route("GET", "/api/v1/admin/circuit-breakers"),
            new Route("POST", "/api/v1/admin/circuit-breakers/external-downstream/reset"),
            new Route("GET", "/api/v1/admin/cache"),
            new Route("POST", "/api/v1/admin/cache/clear"),
            new Route("GET", "/api/v1/admin/servers"),
            new Route("GET", "/api/v1/admin/logs"),
            new Route("GET", "/api/v1/admin/audit"),
            new Route("POST", "/api/v1/admin/users/{user}/sessions/revoke"),
            new Route("GET", "/api/v1/admin/users"),
            new Route("POST", "/api/v1/admin/users"),
            new Route("GET", "/api/v1/admin/users/{user}"),
            new Route("PATCH", "/api/v1/admin/users/{user}"),
            new Route("GET", "/api/v1/admin/tiers"),
            new Route("PUT", "/api/v1/admin/tiers/pro"),
            new Route("GET", "/api/v1/admin/settings"));

    @Inject
    Pool pool;

    private String userToken;
    private String adminToken;
    private long keyId;
    private long signedOutUserId;

    @BeforeEach
    void signIn() {
        Accounts.User user = Accounts.create(pool, "user");
        userToken = Accounts.token(user.email(), user.password());
        adminToken = Accounts.rootToken();
        keyId = TestKeys.active(pool, "free", "read").keyId();
        signedOutUserId = TestKeys.user(pool, "user");
    }

    @Test
    void withoutCredentialsEveryRouteIs401() {
        each(r -> given(), 401, "AUTH_REQUIRED");
        each(r -> given().header("Authorization", "Bearer ut_forged0000000000000000000000000000000000000"), 401,
                "AUTH_REQUIRED");
        // API keys are for the API, not for administration
        String key = TestKeys.active(pool, "enterprise", "read,write").key();
        each(r -> given().header("Authorization", "Bearer " + key), 401, "AUTH_REQUIRED");
    }

    @Test
    void aUsersTokenIs403OnEveryRoute() {
        each(r -> Accounts.as(userToken), 403, "FORBIDDEN");
    }

    @Test
    void anAdminsTokenPassesTheGuardOnEveryRoute() {
        for (Route route : ROUTES) {
            Response response = send(Accounts.as(adminToken).contentType(ContentType.JSON).body("{}"), route);
            int status = response.statusCode();
            // 404 or 405 would mean the route (or the key it names) is not there: the guard was never tested
            assertTrue(status < 500 && !List.of(401, 403, 404, 405).contains(status),
                    route + " answered " + status + " to an admin: " + response.asString());
        }
    }

    private void each(Function<Route, RequestSpecification> caller, int status, String code) {
        for (Route route : ROUTES) {
            Response response = send(caller.apply(route), route);
            response.then().statusCode(status).body("error.code", equalTo(code));
        }
    }

    private Response send(RequestSpecification request, Route route) {
        return request.header("X-Forwarded-For", TestKeys.uniqueIp())
                .request(route.method(), route.path().replace("{key}", Long.toString(keyId))
                .replace("{user}", Long.toString(signedOutUserId)));
    }
}
