package dev.scalableapi.gateway.admin;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.keys.ApiKeyFormat;
import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.EchoUpstream;
import dev.scalableapi.gateway.support.GatewayReplica;
import dev.scalableapi.gateway.support.TestKeys;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API on two gateway replicas (separate JVMs from the packaged jar, one PostgreSQL and Redis): a key
 * created on one is listed without its secret, used and counted, and revoked on both; the fleet metrics count
 * every request either replica served; a token signed out on one is dead on the other; and a replica refuses
 * to start with a known default admin password.
 *
 * <p>Runs in {@code verify} (failsafe); logs in {@code target/admin-replica-*.log}.
 */
class AdminApiAcrossTwoReplicasIT {

    private static final String RUN = UUID.randomUUID().toString();
    /** Both replicas must share what is fleet-wide (the test profile otherwise isolates each JVM). */
    private static final List<String> SHARED = List.of(
            "gateway.fleet.key-prefix=it:" + RUN + ":fleet:",
            "gateway.accounts.redis-prefix=it:" + RUN + ":accounts:",
            "gateway.admin.session.redis-prefix=it:" + RUN + ":session:");

    private static EchoUpstream upstream;
    private static GatewayReplica a;
    private static GatewayReplica b;
    private static String adminToken;

    @BeforeAll
    static void start() {
        upstream = EchoUpstream.start("admin-it-upstream");
        a = GatewayReplica.start("admin-replica-a", upstream.asBalancer(), SHARED);
        b = GatewayReplica.start("admin-replica-b", upstream.asBalancer(), SHARED);
        a.awaitReady();
        b.awaitReady();
        adminToken = on(a).contentType(ContentType.JSON)
                .body(Map.of("email", Accounts.ROOT_EMAIL, "password", Accounts.ROOT_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).extract().path("data.token");
    }

    @AfterAll
    static void stop() {
        for (GatewayReplica replica : new GatewayReplica[] {a, b}) {
            if (replica != null) {
                replica.stop();
            }
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aKeyCreatedOnOneReplicaIsListedWithoutItsSecretCountedAndRevokedOnBoth() {
        Response created = admin(a).contentType(ContentType.JSON)
                .body(Map.of("name", "it key " + RUN, "ownerId", 1, "tier", "pro", "scopes", List.of("read", "write")))
                .post("/api/v1/admin/keys");
        created.then().statusCode(201).header("Cache-Control", "no-store").body("data.key", notNullValue());
        String key = created.path("data.key");
        int id = created.path("data.details.id");
        assertTrue(ApiKeyFormat.isWellFormed(key) && key.startsWith("sk_test_"), key);
        String hash = ApiKeyFormat.hash(key);

        for (GatewayReplica replica : List.of(a, b)) {
            String list = admin(replica).get("/api/v1/admin/keys?limit=100").then().statusCode(200)
                    .extract().asString();
            assertTrue(list.contains("\"id\":" + id), "listed on " + replica.baseUri());
            assertFalse(list.contains(key) || list.contains(hash) || list.contains(key.substring(12)),
                    "no key value or hash in the list");
            admin(replica).get("/api/v1/admin/keys/" + id).then().statusCode(200)
                    .body("data.prefix", equalTo(ApiKeyFormat.prefix(key))).body("data.key", nullValue());
        }

        // 3 calls on A, 2 on B: usage counts 5 requests (one 429-free hour)
        for (GatewayReplica replica : List.of(a, a, a, b, b)) {
            on(replica).header("X-API-Key", key).get("/api/v1/things").then().statusCode(200);
        }
        await("usage counts the 5 requests").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin(b).get("/api/v1/admin/keys/" + id + "/usage").then().statusCode(200)
                        .extract().<Integer>path("data.last24Hours.requests") == 5);
        admin(b).get("/api/v1/admin/keys/" + id + "/usage").then()
                .body("data.lastUsedAt", notNullValue())
                .body("data.last24Hours.rateLimited", equalTo(0))
                .body("data.hourly.size()", equalTo(24))
                .body("data.daily.size()", equalTo(30));

        admin(a).delete("/api/v1/admin/keys/" + id).then().statusCode(200).body("data.status", equalTo("revoked"));
        await("both replicas refuse the revoked key").atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> refused(a, key) && refused(b, key));
        admin(b).delete("/api/v1/admin/keys/" + id).then().statusCode(200).body("data.status", equalTo("revoked"));
    }

    @Test
    void metricsCurrentCountsEveryRequestEitherReplicaServed() {
        long baseline = total(a);
        int sent = 0;
        for (int i = 0; i < 7; i++) {
            on(a).get("/api/v1/things").then().statusCode(200);
            sent++;
        }
        for (int i = 0; i < 4; i++) {
            on(b).get("/api/v1/things").then().statusCode(200);
            sent++;
        }
        long expected = baseline + sent;
        await("both replicas' requests in the fleet totals").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> total(b) >= expected);
        // and it stays exact over the next intervals on both replicas: nothing is counted twice
        await("totals stay exact").during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> total(a) == expected && total(b) == expected);
        admin(a).get("/api/v1/admin/metrics/current").then()
                .body("data.gatewayReplicas", equalTo(2))
                .body("data.latency.p50", notNullValue());
        admin(a).get("/api/v1/admin/metrics/history?minutes=5").then().statusCode(200)
                .body("data.stepSeconds", equalTo(1));
    }

    @Test
    void aTokenSignedOutOnOneReplicaIsDeadOnTheOther() {
        String token = on(b).contentType(ContentType.JSON)
                .body(Map.of("email", Accounts.ROOT_EMAIL, "password", Accounts.ROOT_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).extract().path("data.token");
        on(a).header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(200);
        on(b).header("Authorization", "Bearer " + token).post("/api/v1/auth/logout").then().statusCode(200);
        on(a).header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aReplicaRefusesToStartWithAKnownDefaultAdminPassword() throws Exception {
        GatewayReplica weak = GatewayReplica.start("admin-replica-weak", upstream.asBalancer(), List.of(
                "gateway.accounts.bootstrap-admin.email=weak-" + RUN + "@test.invalid",
                "gateway.accounts.bootstrap-admin.password=dev-admin-password")); // the dev overlay's
        try {
            assertTrue(weak.awaitExit(Duration.ofSeconds(60)) != 0, "the replica must exit with an error");
            assertTrue(weak.log().contains("is a known default password"), "says why");
        } finally {
            weak.stop();
        }
    }

    private static long total(GatewayReplica replica) {
        return admin(replica).get("/api/v1/admin/metrics/current").then().statusCode(200).extract().jsonPath()
                .getLong("data.last24h.requests");
    }

    private static boolean refused(GatewayReplica replica, String key) {
        Response response = on(replica).header("X-API-Key", key).get("/api/v1/things");
        return response.statusCode() == 401 && "AUTH_KEY_REVOKED".equals(response.path("error.code"));
    }

    private static RequestSpecification on(GatewayReplica replica) {
        return RestAssured.given().baseUri(replica.baseUri()).header("X-Forwarded-For", TestKeys.uniqueIp());
    }

    private static RequestSpecification admin(GatewayReplica replica) {
        return on(replica).header("Authorization", "Bearer " + adminToken);
    }
}
