package dev.scalableapi.systemtests.owasp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalableapi.systemtests.support.Envelope;
import dev.scalableapi.systemtests.support.RawHttp;
import dev.scalableapi.systemtests.support.RawHttp.Request;
import dev.scalableapi.systemtests.support.SystemStack;
import dev.scalableapi.testsupport.PackagedJar;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OWASP API Security Top 10 (2023) risks that apply to what the platform exposes, each checked end to end
 * through gateway → balancer → api-service. Object-level authorization, authentication, property-level exposure and
 * mass assignment, resource consumption, function-level authorization, misconfiguration and injection; server-side
 * request forgery and unsafe consumption do not apply (no endpoint fetches a caller-supplied URL or consumes a
 * third-party API with caller data).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwaspApiTop10IT {

    private static final String RESOURCES = "/api/v1/resources";
    private static final Set<String> RESOURCE_FIELDS = Set.of("id", "name", "type", "description", "ownerId",
            "version", "createdAt", "updatedAt");

    private SystemStack stack;
    private RawHttp http;
    private SystemStack.Key alice;
    private SystemStack.Key bob;

    @BeforeAll
    void startStack() {
        stack = SystemStack.shared();
        http = stack.client();
        alice = stack.key("pro", "read,write", null);
        bob = stack.key("pro", "read,write", null);
    }

    private RawHttp.Response call(String method, String path, String json, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (json != null) {
            all.addAll(List.of("Content-Type", "application/json"));
        }
        return http.send(Request.of(method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                all.toArray(String[]::new)));
    }

    private String token(String email, String password) throws Exception {
        // from an address of its own: the fuzzer's failed logins from loopback must not throttle this one
        RawHttp.Response response = call("POST", "/api/v1/auth/login", "{\"email\":\"" + email
                + "\",\"password\":\"" + password + "\"}", "X-Forwarded-For", freshAddress());
        assertEquals(200, response.status(), response.body());
        return Envelope.JSON.readTree(response.body()).path("data").path("token").asText();
    }

    private static String freshAddress() {
        return "10.77." + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(256);
    }

    private JsonNode created(SystemStack.Key owner, String json) throws Exception {
        RawHttp.Response response = call("POST", RESOURCES, json, "X-API-Key", owner.value());
        assertEquals(201, response.status(), response.body());
        return Envelope.JSON.readTree(response.body()).path("data");
    }

    private JsonNode read(long id) throws Exception {
        RawHttp.Response response = call("GET", RESOURCES + "/" + id, null, "X-API-Key", alice.value());
        assertEquals(200, response.status(), response.body());
        return Envelope.JSON.readTree(response.body()).path("data");
    }

    /** API1:2023 Broken Object Level Authorization. */
    @Nested
    class ObjectLevelAuthorization {

        @Test
        void aKeyCannotChangeOrDeleteAResourceItDoesNotOwn() throws Exception {
            JsonNode resource = created(alice, "{\"name\":\"alice's\",\"type\":\"doc\",\"description\":\"mine\"}");
            long id = resource.path("id").asLong();

            for (String method : List.of("PUT", "PATCH")) {
                RawHttp.Response response = call(method, RESOURCES + "/" + id,
                        "{\"name\":\"taken by bob\",\"type\":\"doc\"}", "X-API-Key", bob.value());
                assertEquals("FORBIDDEN", Envelope.assertError(response, method + " by another key"));
            }
            RawHttp.Response delete = call("DELETE", RESOURCES + "/" + id, null, "X-API-Key", bob.value());
            assertEquals("FORBIDDEN", Envelope.assertError(delete, "DELETE by another key"));

            JsonNode after = read(id);
            assertEquals("alice's", after.path("name").asText());
            assertEquals(resource.path("version").asLong(), after.path("version").asLong());
        }

        @Test
        void theOwnerCan() throws Exception {
            long id = created(alice, "{\"name\":\"alice's\",\"type\":\"doc\"}").path("id").asLong();

            assertEquals(200, call("PATCH", RESOURCES + "/" + id, "{\"name\":\"renamed\"}", "X-API-Key",
                    alice.value()).status());
            assertEquals(204, call("DELETE", RESOURCES + "/" + id, null, "X-API-Key", alice.value()).status());
        }
    }

    /** API2:2023 Broken Authentication. */
    @Nested
    class Authentication {

        @Test
        void writesWithoutAValidKeyAreRefusedWithTheRightCode() {
            String body = "{\"name\":\"x\",\"type\":\"doc\"}";
            SystemStack.Key revoked = stack.key("pro", "read,write", null, "revoked", null);
            SystemStack.Key expired = stack.key("pro", "read,write", null, "active", Instant.now().minusSeconds(60));

            assertEquals("AUTH_REQUIRED", Envelope.assertError(call("POST", RESOURCES, body), "no key"));
            assertEquals("AUTH_INVALID_KEY", Envelope.assertError(call("POST", RESOURCES, body, "X-API-Key",
                    "not-a-key"), "malformed key"));
            assertEquals("AUTH_INVALID_KEY", Envelope.assertError(call("POST", RESOURCES, body, "X-API-Key",
                    "sk_test_" + "A".repeat(40)), "unknown key"));
            assertEquals("AUTH_INVALID_KEY", Envelope.assertError(call("POST", RESOURCES, body, "Authorization",
                    "Bearer sk_test_" + "B".repeat(40)), "unknown bearer key"));
            assertEquals("AUTH_KEY_REVOKED", Envelope.assertError(call("POST", RESOURCES, body, "X-API-Key",
                    revoked.value()), "revoked key"));
            assertEquals("AUTH_KEY_EXPIRED", Envelope.assertError(call("POST", RESOURCES, body, "X-API-Key",
                    expired.value()), "expired key"));
        }

        @Test
        void aKeyInTheQueryStringIsNotACredential() {
            RawHttp.Response response = call("POST", RESOURCES + "?api_key=" + alice.value(),
                    "{\"name\":\"x\",\"type\":\"doc\"}");
            assertEquals("AUTH_REQUIRED", Envelope.assertError(response, "key in the query string"));
        }

        @Test
        void forgedIdentityHeadersAreIgnored() throws Exception {
            String forged = "{\"name\":\"forged\",\"type\":\"doc\"}";
            RawHttp.Response anonymous = call("POST", RESOURCES, forged, "X-Identity-User-Id", "1",
                    "X-Identity-Role", "admin", "X-Identity-Scopes", "read,write",
                    "X-Identity-Signature", "t=" + Instant.now().getEpochSecond() + ",v1=" + "0".repeat(64));
            assertEquals("AUTH_REQUIRED", Envelope.assertError(anonymous, "forged identity, no key"));

            RawHttp.Response withKey = call("POST", RESOURCES, forged, "X-API-Key", bob.value(),
                    "X-Identity-User-Id", Long.toString(alice.ownerId()), "X-Identity-Role", "admin");
            assertEquals(201, withKey.status(), withKey.body());
            assertEquals(bob.ownerId(), Envelope.JSON.readTree(withKey.body()).path("data").path("ownerId").asLong());
        }

        @Test
        void aReadOnlyKeyCannotWrite() {
            SystemStack.Key reader = stack.key("pro", "read", null);
            assertEquals("INSUFFICIENT_SCOPE", Envelope.assertError(call("POST", RESOURCES,
                    "{\"name\":\"x\",\"type\":\"doc\"}", "X-API-Key", reader.value()), "read-only key"));
        }
    }

    /** API3:2023 Broken Object Property Level Authorization: excessive data exposure. */
    @Nested
    class ExcessiveDataExposure {

        @Test
        void aResourceShowsOnlyItsDocumentedFields() throws Exception {
            long id = created(alice, "{\"name\":\"fields\",\"type\":\"doc\"}").path("id").asLong();

            RawHttp.Response response = call("GET", RESOURCES + "/" + id, null);
            JsonNode body = Envelope.JSON.readTree(response.body());
            Set<String> fields = new TreeSet<>();
            body.path("data").fieldNames().forEachRemaining(fields::add);
            assertEquals(new TreeSet<>(RESOURCE_FIELDS), fields);
            Set<String> top = new TreeSet<>();
            body.fieldNames().forEachRemaining(top::add);
            assertEquals(Set.of("data", "meta"), top);
        }

        @Test
        void responsesNameNoInternals() {
            RawHttp.Response response = call("GET", RESOURCES + "/1", null, "X-API-Key", alice.value());
            for (String header : List.of("server", "x-powered-by", "x-identity-user-id", "x-identity-signature")) {
                assertNull(response.header(header), header + " leaked: " + response.header(header));
            }
            assertFalse(response.body().contains(alice.value()), "the key is echoed");
        }

        @Test
        void errorsCarryNoStackTrace() {
            RawHttp.Response response = call("POST", RESOURCES, "{\"name\": [1, {\"deep\": tru", "X-API-Key",
                    alice.value());
            String code = Envelope.assertError(response, "broken JSON");
            assertTrue(Set.of("MALFORMED_JSON", "VALIDATION_FAILED").contains(code), code);
            assertFalse(response.body().contains("jackson") || response.body().contains("dev.scalableapi"),
                    response.body());
        }
    }

    /** API4:2023 Unrestricted Resource Consumption. */
    @Nested
    class RateLimitingAndResourceConsumption {

        @Test
        void aKeyIsRefusedWith429OnceItsLimitIsUsedUp() {
            SystemStack.Key limited = stack.key("free", "read,write", 5);
            for (int i = 0; i < 5; i++) {
                RawHttp.Response ok = call("GET", RESOURCES + "/1", null, "X-API-Key", limited.value());
                assertNotEquals(429, ok.status());
                assertEquals("5", ok.header("X-RateLimit-Limit"));
            }
            RawHttp.Response refused = call("GET", RESOURCES + "/1", null, "X-API-Key", limited.value());
            assertEquals("RATE_LIMIT_EXCEEDED", Envelope.assertError(refused, "6th request of 5/min"));
            assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
        }

        @Test
        void bodiesAndPagesAreBounded() {
            String huge = "{\"name\":\"x\",\"type\":\"doc\",\"description\":\"" + "x".repeat(1_100_000) + "\"}";
            assertEquals("PAYLOAD_TOO_LARGE", Envelope.assertError(call("POST", RESOURCES, huge, "X-API-Key",
                    alice.value()), "1.1 MB body"));
            assertEquals("INVALID_PARAMETER", Envelope.assertError(call("GET", RESOURCES + "?limit=100000", null,
                    "X-API-Key", alice.value()), "limit=100000"));
            assertEquals("HEADERS_TOO_LARGE", Envelope.assertError(call("GET", RESOURCES + "/1", null, "X-Padding",
                    "p".repeat(20_000)), "20 KB header"));
            assertEquals("URI_TOO_LONG", Envelope.assertError(call("GET", RESOURCES + "?q=" + "q".repeat(5_000), null,
                    "X-API-Key", alice.value()), "5 KB request line"));
        }
    }

    /**
     * API5:2023 Broken Function Level Authorization: admin routes refuse callers without the admin role, and a
     * replica's operator routes are not reachable through the edge at all (the admin API acts on them, audited).
     */
    @Nested
    class FunctionLevelAuthorization {

        @Test
        void replicaOperatorRoutesAreNotExposedAtTheEdgeEvenToAnAdmin() throws Exception {
            String adminToken = token(SystemStack.ADMIN_EMAIL, SystemStack.ADMIN_PASSWORD);
            for (String[] route : operatorRoutes()) {
                String what = route[0] + " " + route[1];
                assertEquals("NOT_FOUND", Envelope.assertError(call(route[0], route[1], null), "anonymous " + what));
                assertEquals("NOT_FOUND", Envelope.assertError(call(route[0], route[1], null,
                        "X-API-Key", alice.value()), "user key " + what));
                assertEquals("NOT_FOUND", Envelope.assertError(call(route[0], route[1], null,
                        "Authorization", "Bearer " + adminToken), "admin token " + what));
            }
        }

        @Test
        void adminRoutesRefuseAnonymousCallersUsersAndKeys() throws Exception {
            String userToken = token(stack.user(), SystemStack.USER_PASSWORD);
            for (String[] route : adminRoutes()) {
                String what = route[0] + " " + route[1];
                assertEquals("AUTH_REQUIRED", Envelope.assertError(call(route[0], route[1], "{}"),
                        "anonymous " + what));
                assertEquals("AUTH_REQUIRED", Envelope.assertError(call(route[0], route[1], "{}",
                        "Authorization", "Bearer " + alice.value()), "API key " + what));
                assertEquals("FORBIDDEN", Envelope.assertError(call(route[0], route[1], "{}",
                        "Authorization", "Bearer " + userToken), "user token " + what));
            }
            String adminToken = token(SystemStack.ADMIN_EMAIL, SystemStack.ADMIN_PASSWORD);
            assertEquals(200, call("GET", "/api/v1/admin/keys", null, "Authorization", "Bearer " + adminToken)
                    .status());
        }

        @Test
        void aUserCannotOpenAnAdminSession() {
            RawHttp.Response response = call("POST", "/api/v1/admin/login", "{\"email\":\"" + stack.user()
                    + "\",\"password\":\"" + SystemStack.USER_PASSWORD + "\"}", "X-Forwarded-For", freshAddress());
            assertEquals("FORBIDDEN", Envelope.assertError(response, "a user's admin login"));
            assertEquals(null, response.header("Set-Cookie"));
        }

        private List<String[]> adminRoutes() {
            return List.of(new String[] {"GET", "/api/v1/admin/dashboard"},
                    new String[] {"GET", "/api/v1/admin/keys"},
                    new String[] {"POST", "/api/v1/admin/keys"},
                    new String[] {"DELETE", "/api/v1/admin/keys/1"},
                    new String[] {"GET", "/api/v1/admin/keys/1/usage"},
                    new String[] {"GET", "/api/v1/admin/metrics/current"},
                    new String[] {"GET", "/api/v1/admin/circuit-breakers"},
                    new String[] {"POST", "/api/v1/admin/circuit-breakers/external-downstream/reset"},
                    new String[] {"POST", "/api/v1/admin/cache/clear"},
                    new String[] {"GET", "/api/v1/admin/logs"},
                    new String[] {"GET", "/api/v1/admin/audit"});
        }

        /** A replica's own routes, for the admin API's audited actions; spellings a replica could still route. */
        private List<String[]> operatorRoutes() {
            return List.of(new String[] {"GET", "/api/v1/internal/cache"},
                    new String[] {"POST", "/api/v1/internal/cache/clear"},
                    new String[] {"POST", "/api/v1/./internal/cache/clear"},
                    new String[] {"POST", "/api/v1/internal%2Fcache%2Fclear"},
                    new String[] {"POST", "/api/v1/%69nternal/cache/clear"},
                    new String[] {"GET", "/api/v1/internal/circuit-breakers"},
                    new String[] {"POST", "/api/v1/internal/circuit-breakers/external/reset"});
        }
    }

    /**
     * API3:2023 Broken Object Property Level Authorization: mass assignment. A client cannot set fields the server
     * owns; on the gateway's own routes an unknown field is refused outright (422 naming it).
     */
    @Nested
    class MassAssignment {

        @Test
        void loginsAndKeysRefuseRoleStatusAndHashFields() throws Exception {
            String login = "{\"email\":\"" + stack.user() + "\",\"password\":\"" + SystemStack.USER_PASSWORD
                    + "\",\"role\":\"admin\"}";
            assertEquals("VALIDATION_FAILED", Envelope.assertError(call("POST", "/api/v1/auth/login", login,
                    "X-Forwarded-For", freshAddress()),
                    "login with a role"));
            String adminToken = token(SystemStack.ADMIN_EMAIL, SystemStack.ADMIN_PASSWORD);
            for (String extra : List.of("\"status\":\"active\"", "\"keyHash\":\"00\"", "\"prefix\":\"sk_live_AAAA\"",
                    "\"id\":1", "\"role\":\"admin\"")) {
                String body = "{\"name\":\"mass\",\"ownerId\":" + bob.ownerId()
                        + ",\"tier\":\"free\",\"scopes\":[\"read\"]," + extra + "}";
                assertEquals("VALIDATION_FAILED", Envelope.assertError(call("POST", "/api/v1/admin/keys", body,
                        "Authorization", "Bearer " + adminToken), "key with " + extra));
            }
            String unknownTier = "{\"name\":\"mass\",\"ownerId\":" + bob.ownerId()
                    + ",\"tier\":\"unlimited\",\"scopes\":[\"read\"]}";
            assertEquals("VALIDATION_FAILED", Envelope.assertError(call("POST", "/api/v1/admin/keys", unknownTier,
                    "Authorization", "Bearer " + adminToken), "key with an unknown tier"));
        }

        @Test
        void createIgnoresServerOwnedFields() throws Exception {
            JsonNode resource = created(bob, "{\"name\":\"mass\",\"type\":\"doc\",\"id\":987654321,\"ownerId\":"
                    + alice.ownerId() + ",\"version\":77,\"createdAt\":\"2000-01-01T00:00:00Z\","
                    + "\"updatedAt\":\"2000-01-01T00:00:00Z\"}");

            assertNotEquals(987654321L, resource.path("id").asLong());
            assertEquals(bob.ownerId(), resource.path("ownerId").asLong());
            assertEquals(0, resource.path("version").asLong());
            assertTrue(resource.path("createdAt").asText().compareTo("2020") > 0);
        }

        @Test
        void updatesCannotMoveOwnershipOrRewriteHistory() throws Exception {
            JsonNode resource = created(bob, "{\"name\":\"mine\",\"type\":\"doc\"}");
            long id = resource.path("id").asLong();

            for (String method : List.of("PATCH", "PUT")) {
                RawHttp.Response response = call(method, RESOURCES + "/" + id, "{\"name\":\"still mine\",\"type\":"
                        + "\"doc\",\"ownerId\":" + alice.ownerId() + ",\"id\":1,\"createdAt\":\"2000-01-01T00:00:00Z\"}",
                        "X-API-Key", bob.value());
                assertEquals(200, response.status(), response.body());
            }
            JsonNode after = read(id);
            assertEquals(bob.ownerId(), after.path("ownerId").asLong());
            assertEquals(id, after.path("id").asLong());
            assertEquals(resource.path("createdAt").asText(), after.path("createdAt").asText());
            assertEquals("FORBIDDEN", Envelope.assertError(call("DELETE", RESOURCES + "/" + id, null,
                    "X-API-Key", alice.value()), "alice deleting bob's after the attempted takeover"));
        }
    }

    /** API8:2023 Security Misconfiguration. */
    @Nested
    class SecurityMisconfiguration {

        @Test
        void healthMetricsAndOpenApiAnswerOnlyOnEachServicesManagementPort() throws Exception {
            for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/openapi")) {
                assertEquals("NOT_FOUND", Envelope.assertError(call("GET", path, null), "gateway " + path));
                for (PackagedJar service : stack.services()) {
                    assertEquals(404, service.get(path, Map.of()).statusCode(), service.name() + " " + path);
                    assertEquals(200, service.getManagement(path, Map.of()).statusCode(),
                            service.name() + " management " + path);
                }
            }
        }

        @Test
        void everyResponseCarriesTheHardeningHeaders() {
            List<RawHttp.Response> responses = List.of(call("GET", RESOURCES + "/1", null),
                    call("GET", "/api/v1/nothing-here", null), call("POST", RESOURCES, "{", "X-API-Key", alice.value()),
                    call("GET", "/q/health/live", null));
            for (RawHttp.Response response : responses) {
                assertEquals("nosniff", response.header("X-Content-Type-Options"));
                assertEquals("DENY", response.header("X-Frame-Options"));
                assertEquals("no-referrer", response.header("Referrer-Policy"));
                assertNotNull(response.header("X-Request-ID"));
            }
        }

        @Test
        void traceIsNotEchoedAndForeignOriginsGetNoCorsGrant() {
            RawHttp.Response trace = call("TRACE", RESOURCES, null, "X-API-Key", alice.value(), "X-Secret",
                    "do-not-echo");
            assertEquals("METHOD_NOT_ALLOWED", Envelope.assertError(trace, "TRACE"));
            assertFalse(trace.body().contains("do-not-echo"));

            RawHttp.Response cors = call("GET", RESOURCES + "/1", null, "Origin", "https://evil.example");
            assertNull(cors.header("Access-Control-Allow-Origin"));
            assertNull(cors.header("Access-Control-Allow-Credentials"));
        }
    }

    /** API10 / injection: what callers send is data, never code, and stored literally. */
    @Nested
    class Injection {

        @Test
        void sqlInQueryParametersIsRefusedOrMatchesNothing() throws Exception {
            RawHttp.Response byType = call("GET", RESOURCES + "?type=doc'%20OR%20'1'='1", null);
            assertEquals("INVALID_PARAMETER", Envelope.assertError(byType, "SQL in type"));
            RawHttp.Response bySort = call("GET", RESOURCES + "?sort=name%3Bdrop%20table%20resources", null);
            assertEquals("INVALID_PARAMETER", Envelope.assertError(bySort, "SQL in sort"));
            RawHttp.Response byOwner = call("GET", RESOURCES + "?owner=1%20or%201=1", null);
            assertEquals("INVALID_PARAMETER", Envelope.assertError(byOwner, "SQL in owner"));
            assertEquals(200, call("GET", RESOURCES + "?limit=1", null).status(), "the table is still there");
        }

        @Test
        void injectionStringsAreStoredAndReturnedLiterally() throws Exception {
            String sql = "x'); DROP TABLE resources; --";
            String html = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>";
            long id = created(alice, Envelope.JSON.writeValueAsString(java.util.Map.of("name", sql, "type", "doc",
                    "description", html))).path("id").asLong();

            JsonNode stored = read(id);
            assertEquals(sql, stored.path("name").asText());
            assertEquals(html, stored.path("description").asText());
            RawHttp.Response raw = call("GET", RESOURCES + "/" + id, null);
            assertTrue(raw.header("Content-Type").startsWith("application/json"), raw.header("Content-Type"));
        }
    }
}
