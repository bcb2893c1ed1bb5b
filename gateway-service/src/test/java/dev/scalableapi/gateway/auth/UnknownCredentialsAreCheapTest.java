package dev.scalableapi.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.WithTightClientLimits;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Made-up credentials cost the stores a bounded number of lookups per client address (issue 14, point 5), and a
 * key lookup does not wait on PostgreSQL without bound.
 */
@QuarkusTest
@TestProfile(WithTightClientLimits.class)
class UnknownCredentialsAreCheapTest {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Inject
    Pool pool;

    @TestHTTPResource("/api/v1/things")
    URI things;

    @Test
    void tenThousandMadeUpKeysFromOneAddressCostABoundedNumberOfLookups() throws Exception {
        String attacker = TestKeys.uniqueIp();
        Random random = new Random(14_05);
        double databaseBefore = lookups("database");
        double redisBefore = lookups("redis");
        Map<String, Integer> answers = new TreeMap<>();
        // one keep-alive connection, one request at a time: RestAssured would open a connection per request
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 10_000; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(things)
                    .header("X-Forwarded-For", attacker).header("X-API-Key", madeUpKey(random)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String code = new JsonObject(response.body()).getJsonObject("error").getString("code");
            answers.merge(response.statusCode() + " " + code, 1, Integer::sum);
            if (response.statusCode() == 429) {
                assertEquals(Optional.of("3600"), response.headers().firstValue("Retry-After"));
            }
        }
        assertEquals(Map.of("401 AUTH_INVALID_KEY", 20, "429 RATE_LIMIT_EXCEEDED", 9_980), answers);
        assertEquals(20, lookups("database") - databaseBefore, "database lookups");
        assertEquals(20, lookups("redis") - redisBefore, "Redis lookups");

        // a login token from the same address is refused before its lookup too
        given().header("X-Forwarded-For", attacker).header("Authorization", "Bearer ut_" + "x".repeat(43))
                .get("/api/v1/things").then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"))
                .body("meta.requestId", notNullValue());
        // another address is not affected
        given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", madeUpKey(random))
                .get("/api/v1/things").then().statusCode(401).body("error.code", equalTo("AUTH_INVALID_KEY"));
        // a key this gateway holds already costs nothing to check, so it still works from the blocked address
        Issued known = TestKeys.active(pool, "pro", "read");
        given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", known.key())
                .get("/api/v1/things").then().statusCode(200);
        given().header("X-Forwarded-For", attacker).header("X-API-Key", known.key())
                .get("/api/v1/things").then().statusCode(200);
    }

    @Test
    void aKeyLookupGivesUpOnAHungDatabase() {
        Issued key = TestKeys.active(pool, "pro", "read");
        SqlConnection connection = pool.getConnection().await().indefinitely();
        Transaction locking = connection.begin().await().indefinitely();
        try {
            connection.query("lock table api_keys in access exclusive mode").execute().await().indefinitely();
            // the client gives up far later than the lookup's timeout: without one this request would hang
            RestAssuredConfig patient = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.socket.timeout", 30_000));
            given().config(patient).header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", key.key())
                    .get("/api/v1/things").then().statusCode(503).body("error.code", equalTo("SERVICE_UNAVAILABLE"))
                    .header("Retry-After", notNullValue());
        } finally {
            locking.rollback().await().indefinitely();
            connection.close().await().indefinitely();
        }
        given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-API-Key", key.key())
                .get("/api/v1/things").then().statusCode(200);
    }

    private static String madeUpKey(Random random) {
        StringBuilder key = new StringBuilder("sk_test_");
        for (int i = 0; i < 40; i++) {
            key.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return key.toString();
    }

    private static double lookups(String source) {
        return Metrics.value("gateway_key_lookups_total", "source", source);
    }
}
