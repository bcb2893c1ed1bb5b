package dev.scalableapi.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the auth stage, end to end against PostgreSQL, Redis and a real upstream that echoes what it
 * received: refusals carry their stable code, a request id and (for 401) WWW-Authenticate, are counted in
 * {@code gateway_auth_failures_total}, and accepted calls reach the upstream with a signed identity. The key
 * itself never shows up in the gateway's logs (captured at DEBUG).
 */
@QuarkusTest
@TestProfile(EveryAuthOutcomeTest.WithUpstreamAndDebugLogs.class)
class EveryAuthOutcomeTest {

    public static class WithUpstreamAndDebugLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"dev.scalableapi\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.vertx.http\".level", "DEBUG");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    private static final IdentityHeaders SIGNATURES = new IdentityHeaders("test-identity-secret-0123456789", 300);

    @Inject
    Pool pool;

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null && message != null) {
                for (Object parameter : record.getParameters()) {
                    message = message + " " + parameter;
                }
            }
            logged.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void anonymousGetReachesTheUpstreamWithASignedAnonymousIdentity() {
        Response response = given().header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things");
        response.then().statusCode(200).body("server", equalTo("live-0"));
        Map<String, List<String>> headers = response.jsonPath().getMap("headers");

        Identity verified = verify(headers, "GET", "/api/v1/things");
        assertEquals(Identity.anonymous(), verified);
        // Anonymous looks the same whether or not the signature checks out, so compare with the gateway's secret.
        String signature = one(headers, IdentityHeaders.SIGNATURE);
        long signedAt = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertEquals(SIGNATURES.sign(Identity.anonymous(), "GET", "/api/v1/things", signedAt)
                .get(IdentityHeaders.SIGNATURE), signature);
        assertEquals("anonymous", one(headers, IdentityHeaders.TIER));
        assertEquals("", one(headers, IdentityHeaders.USER_ID));
    }

    @Test
    void anonymousPostIsRefusedWithAuthRequired() {
        double before = failures("AUTH_REQUIRED");
        Response response = given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType("application/json")
                .body("{}").post("/api/v1/things");
        assertRefused(response, 401, "AUTH_REQUIRED");
        assertEquals(before + 1, failures("AUTH_REQUIRED"));
    }

    @Test
    void malformedKeyIsAnInvalidKey() {
        String malformed = "sk_test_tooShort";
        double before = failures("AUTH_INVALID_KEY");
        assertRefused(given().header("X-API-Key", malformed).get("/api/v1/things"), 401, "AUTH_INVALID_KEY");
        assertRefused(given().header("Authorization", "Bearer sk_test_" + "!".repeat(40)).get("/api/v1/things"),
                401, "AUTH_INVALID_KEY");
        assertEquals(before + 2, failures("AUTH_INVALID_KEY"));
        assertNotLogged(malformed);
    }

    @Test
    void unknownWellFormedKeyIsAnInvalidKey() {
        String unknown = "sk_test_" + "A1b2C3d4".repeat(5);
        double before = failures("AUTH_INVALID_KEY");
        assertRefused(given().header("X-API-Key", unknown).get("/api/v1/things"), 401, "AUTH_INVALID_KEY");
        // the second time the answer comes from the caches, and must be the same
        assertRefused(given().header("X-API-Key", unknown).get("/api/v1/things"), 401, "AUTH_INVALID_KEY");
        assertEquals(before + 2, failures("AUTH_INVALID_KEY"));
        assertNotLogged(unknown);
    }

    @Test
    void aDevKeyIsAnInvalidKeyOutsideTheDevProfile() {
        // The dev seed's keys are published: even stored and active, a gateway not in the dev profile refuses them.
        Issued dev = TestKeys.key(pool, "dev", "pro", "read,write", "active", null);
        Issued test = TestKeys.key(pool, "test", "pro", "read,write", "active", null);
        double before = failures("AUTH_INVALID_KEY");
        assertRefused(given().header("X-API-Key", dev.key()).get("/api/v1/things"), 401, "AUTH_INVALID_KEY");
        assertEquals(before + 1, failures("AUTH_INVALID_KEY"));
        assertRefused(given().header("X-API-Key", dev.key()).get("/api/v1/me"), 401, "AUTH_INVALID_KEY");
        given().header("X-API-Key", test.key()).get("/api/v1/things").then().statusCode(200);
        assertNotLogged(dev.key());
    }

    @Test
    void revokedKeyIsRefused() {
        Issued revoked = TestKeys.key(pool, "pro", "read,write", "revoked", null);
        double before = failures("AUTH_KEY_REVOKED");
        assertRefused(given().header("X-API-Key", revoked.key()).get("/api/v1/things"), 401, "AUTH_KEY_REVOKED");
        assertEquals(before + 1, failures("AUTH_KEY_REVOKED"));
        assertNotLogged(revoked.key());
    }

    @Test
    void expiredKeyIsRefused() {
        Issued expired = TestKeys.key(pool, "pro", "read,write", "active", OffsetDateTime.now().minusHours(1));
        double before = failures("AUTH_KEY_EXPIRED");
        assertRefused(given().header("Authorization", "Bearer " + expired.key()).get("/api/v1/things"), 401,
                "AUTH_KEY_EXPIRED");
        assertEquals(before + 1, failures("AUTH_KEY_EXPIRED"));
        assertNotLogged(expired.key());
    }

    @Test
    void readOnlyKeyCannotWrite() {
        Issued readOnly = TestKeys.active(pool, "free", "read");
        given().header("X-API-Key", readOnly.key()).get("/api/v1/things").then().statusCode(200);
        double before = failures("INSUFFICIENT_SCOPE");
        Response response = given().header("X-API-Key", readOnly.key()).contentType("application/json").body("{}")
                .post("/api/v1/things");
        assertRefused(response, 403, "INSUFFICIENT_SCOPE");
        assertThat(response.header("WWW-Authenticate"), is((String) null));
        assertEquals(before + 1, failures("INSUFFICIENT_SCOPE"));
        assertNotLogged(readOnly.key());
    }

    @Test
    void validKeyInXApiKeyForwardsTheKeysSignedIdentity() {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        Response response = given().header("X-API-Key", key.key()).get("/api/v1/things/7");
        response.then().statusCode(200).body("uri", equalTo("/api/v1/things/7"));
        assertIdentityOf(key, response);
        assertNotLogged(key.key());
    }

    @Test
    void validKeyAsBearerTokenForwardsTheKeysSignedIdentity() {
        Issued key = TestKeys.active(pool, "enterprise", "read,write");
        Response response = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"name\":\"x\"}").post("/api/v1/things");
        response.then().statusCode(200).body("method", equalTo("POST")).body("bodyBytes", is(12));
        assertIdentityOf(key, response);
        assertNotLogged(key.key());
    }

    /** The upstream got the key's identity, signed for the request it received, and not the key itself. */
    private void assertIdentityOf(Issued key, Response echoed) {
        Map<String, List<String>> headers = echoed.jsonPath().getMap("headers");
        Identity identity = verify(headers, echoed.jsonPath().getString("method"), echoed.jsonPath().getString("uri"));
        assertEquals(key.ownerId(), identity.userId());
        assertEquals(key.keyId(), identity.keyId());
        assertEquals("user", identity.role());
        assertEquals(key.tier(), identity.tier());
        assertEquals(Set.of(key.scopes().split(",")), identity.scopes());
        for (String header : IdentityHeaders.ALL) {
            assertEquals(1, headers.get(header.toLowerCase()).size(), header + " sent exactly once");
        }
        assertEquals(null, headers.get("x-api-key"), "the key stops at the gateway");
        assertEquals(null, headers.get("authorization"), "the bearer credential stops at the gateway");
        assertEquals(Identity.anonymous(), verify(headers, "DELETE", echoed.jsonPath().getString("uri")),
                "the signature holds for this request only");
    }

    private static void assertRefused(Response response, int status, String code) {
        response.then().statusCode(status).contentType(containsString("application/json"))
                .body("error.code", equalTo(code))
                .body("meta.requestId", notNullValue())
                .body("meta.requestId", equalTo(response.header("X-Request-ID")));
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate"), containsString("Bearer"));
        }
    }

    private void assertNotLogged(String key) {
        // the capture itself works: a line logged through the application's logging reaches it
        String canary = "canary-" + System.nanoTime();
        org.jboss.logging.Logger.getLogger("dev.scalableapi.gateway.auth").debug(canary);
        assertThat(logged.stream().filter(line -> line != null && line.contains(canary)).count(), is(1L));
        assertThat("log lines containing the key", logged.stream().filter(line -> line != null
                && (line.contains(key) || line.contains(key.substring(12)))).toList(), empty());
    }

    private static double failures(String code) {
        return Metrics.value("gateway_auth_failures_total", "code", code);
    }

    private static Identity verify(Map<String, List<String>> headers, String method, String target) {
        return SIGNATURES.verify(name -> one(headers, name), method, target, System.currentTimeMillis() / 1000);
    }

    private static String one(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name.toLowerCase());
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
