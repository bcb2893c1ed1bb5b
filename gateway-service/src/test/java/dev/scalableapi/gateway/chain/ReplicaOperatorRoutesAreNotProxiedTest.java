package dev.scalableapi.gateway.chain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica's operator routes are the admin API's to call (audited), never the proxy's: not for an admin's key or
 * an admin's token either, however the path is spelled. The upstream here would echo anything it received with a
 * 200. The audited admin action still reaches the replicas (gateway → balancer → replica, not through the proxy).
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class ReplicaOperatorRoutesAreNotProxiedTest {

    @Inject
    Pool pool;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/internal/cache/clear", "/api/v1/internal", "/api/v1/./internal/cache/clear",
        "/api/v1/%69nternal/cache/clear", "/api/v1/internal%2Fcache%2Fclear", "/api/v1/internal;x=y/cache/clear",
        "/api/v1/resources/../internal/circuit-breakers/external/reset"})
    void anAdminsKeyGets404AndNothingIsForwarded(String path) {
        Issued key = TestKeys.active(pool, "enterprise", "read,write");
        pool.preparedQuery("update users set role = 'admin' where id = $1").execute(Tuple.of(key.ownerId()))
                .await().atMost(Duration.ofSeconds(15));

        given().urlEncodingEnabled(false).header("X-API-Key", key.key())
                .when().post(path)
                .then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/internal/cache/clear", "/api/v1/internal/circuit-breakers/external/reset",
        "/api/v1/internal/cache", "/api/v1/%69nternal/cache/clear"})
    void anAdminsTokenGets404(String path) {
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + Accounts.rootToken())
                .when().post(path)
                .then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void theAuditedAdminActionStillReachesTheReplicas() {
        String token = Accounts.rootToken();
        Response cleared = Accounts.as(token).post("/api/v1/admin/cache/clear");
        cleared.then().statusCode(200);
        List<Map<String, Object>> audited = Accounts.as(token).queryParam("action", "cache.clear")
                .queryParam("limit", 200).get("/api/v1/admin/audit").then().statusCode(200)
                .extract().jsonPath().getList("data");
        assertTrue(audited.stream().anyMatch(row -> cleared.header("X-Request-ID").equals(row.get("requestId"))),
                "the cache clear is in the audit log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/internals", "/api/v1/resources/internal"})
    void pathsThatOnlyLookAlikeAreProxied(String path) {
        Issued key = TestKeys.active(pool, "free", "read");
        given().header("X-API-Key", key.key()).when().get(path).then().statusCode(200);
    }
}
