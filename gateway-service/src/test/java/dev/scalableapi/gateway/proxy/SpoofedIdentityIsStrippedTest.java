package dev.scalableapi.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Identity headers are the gateway's to write: whatever a client sends under those names (any case, repeated, with a
 * made-up signature) is dropped, and the upstream receives exactly one copy of each, signed by the gateway.
 */
@QuarkusTest
@TestProfile(SpoofedIdentityIsStrippedTest.WithUpstream.class)
class SpoofedIdentityIsStrippedTest {

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    private static final IdentityHeaders SIGNATURES = new IdentityHeaders("test-identity-secret-0123456789", 300);
    private static final String FORGED_SIGNATURE = "t=" + System.currentTimeMillis() / 1000 + ",v2=" + "ab".repeat(32);

    @Inject
    Pool pool;

    @Test
    void anonymousCallerCannotClaimToBeAnAdmin() {
        Map<String, List<String>> upstream = spoofed(given().header("X-Forwarded-For", TestKeys.uniqueIp()));

        assertOnlyTheGatewaysCopies(upstream);
        assertEquals(List.of(""), upstream.get("x-identity-user-id"));
        assertEquals(List.of(""), upstream.get("x-identity-role"));
        assertEquals(List.of(""), upstream.get("x-identity-scopes"));
        assertEquals(List.of("anonymous"), upstream.get("x-identity-tier"));
        String signature = upstream.get("x-identity-signature").get(0);
        assertNotEquals(FORGED_SIGNATURE, signature);
        long signedAt = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertEquals(SIGNATURES.sign(Identity.anonymous(), "GET", "/api/v1/whoami", signedAt)
                .get(IdentityHeaders.SIGNATURE), signature);
    }

    @Test
    void keyHolderCannotRaiseTheirRoleOrScopes() {
        Issued key = TestKeys.active(pool, "free", "read");
        Map<String, List<String>> upstream = spoofed(given().header("X-API-Key", key.key()));

        assertOnlyTheGatewaysCopies(upstream);
        Identity identity = SIGNATURES.verify(name -> upstream.get(name.toLowerCase()).get(0), "GET",
                "/api/v1/whoami", System.currentTimeMillis() / 1000);
        assertEquals(new Identity(key.ownerId(), key.keyId(), "user", Set.of("read"), "free"), identity);
    }

    @Test
    void credentialsStopAtTheGatewayWhileTheApplicationsCookiesPass() {
        Issued key = TestKeys.active(pool, "free", "read");
        Map<String, List<String>> upstream = given().header("X-API-Key", key.key())
                .header("Cookie", "sa_session=an-admin-session; theme=dark").header("Cookie", "lang=en")
                .get("/api/v1/whoami").then().statusCode(200).extract().jsonPath().getMap("headers");
        assertNull(upstream.get("x-api-key"), "the API key is not forwarded");
        assertNull(upstream.get("authorization"));
        assertEquals(List.of("theme=dark; lang=en"), upstream.get("cookie"), "only the admin session cookie is dropped");

        Map<String, List<String>> bearer = given().header("Authorization", "Bearer " + key.key())
                .header("Cookie", "sa_session=an-admin-session")
                .get("/api/v1/whoami").then().statusCode(200).extract().jsonPath().getMap("headers");
        assertNull(bearer.get("authorization"), "a bearer credential is not forwarded");
        assertNull(bearer.get("cookie"), "a Cookie header left empty is dropped");
        assertEquals(key.keyId(), SIGNATURES.verify(name -> bearer.get(name.toLowerCase()).get(0), "GET",
                "/api/v1/whoami", System.currentTimeMillis() / 1000).keyId(), "the identity still arrives");
    }

    @Test
    void aTrustedPeersForwardingChainIsKeptAndExtended() {
        // the loopback test client is a trusted proxy by default: what it forwards is kept, its own address appended
        Map<String, List<String>> upstream = given().header("X-Forwarded-For", "203.0.113.5")
                .header("X-Forwarded-Proto", "https").get("/api/v1/chain")
                .then().statusCode(200).extract().jsonPath().getMap("headers");
        List<String> chain = upstream.get("x-forwarded-for");
        assertEquals(1, chain.size(), "one X-Forwarded-For line: " + chain);
        org.junit.jupiter.api.Assertions.assertTrue(chain.get(0).equals("203.0.113.5, 127.0.0.1")
                || chain.get(0).equals("203.0.113.5, 0:0:0:0:0:0:0:1"), "chain " + chain);
        assertEquals(List.of("https"), upstream.get("x-forwarded-proto"));
    }

    private static Map<String, List<String>> spoofed(RequestSpecification request) {
        return request
                .header("X-Identity-User-Id", "1")
                .header("x-identity-user-id", "2")
                .header("X-Identity-Key-Id", "1")
                .header("X-Identity-Role", "admin")
                .header("X-IDENTITY-SCOPES", "read,write")
                .header("X-Identity-Tier", "enterprise")
                .header("X-Identity-Signature", FORGED_SIGNATURE)
                .get("/api/v1/whoami")
                .then().statusCode(200).extract().jsonPath().getMap("headers");
    }

    private static void assertOnlyTheGatewaysCopies(Map<String, List<String>> upstream) {
        for (String name : IdentityHeaders.ALL) {
            List<String> values = upstream.get(name.toLowerCase());
            assertEquals(1, values == null ? 0 : values.size(), name + " reaches the upstream exactly once: " + values);
        }
        assertNotEquals(List.of("admin"), upstream.get("x-identity-role"));
        assertNotEquals(List.of("enterprise"), upstream.get("x-identity-tier"));
        assertNotEquals(List.of("read,write"), upstream.get("x-identity-scopes"));
    }
}
