package dev.scalableapi.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityHeadersTest {

    private static final long NOW = 1_800_000_000L;
    private static final String TARGET = "/api/v1/resources/12?fields=name";
    private final IdentityHeaders headers = new IdentityHeaders("a-secret-of-enough-length", 300);
    private final Identity writer = new Identity(42L, 7L, "user", Set.of("read", "write"), "pro");

    @Test
    void signedIdentityVerifiesToTheSameIdentity() {
        Map<String, String> signed = headers.sign(writer, "PATCH", TARGET, NOW);
        Identity verified = headers.verify(signed::get, "PATCH", TARGET, NOW + 10);
        assertEquals(writer, verified);
        assertTrue(verified.hasScope("write"));
    }

    @Test
    void anyTamperedValueMakesTheCallerAnonymous() {
        for (String header : new String[] {IdentityHeaders.USER_ID, IdentityHeaders.ROLE, IdentityHeaders.SCOPES,
                IdentityHeaders.TIER, IdentityHeaders.KEY_ID}) {
            Map<String, String> signed = new HashMap<>(headers.sign(writer, "PATCH", TARGET, NOW));
            signed.put(header, header.equals(IdentityHeaders.ROLE) ? "admin" : "1");
            assertFalse(headers.verify(signed::get, "PATCH", TARGET, NOW).isAuthenticated(), header + " tampering accepted");
        }
    }

    @Test
    void signatureFromAnotherSecretIsRejected() {
        Map<String, String> forged = new IdentityHeaders("some-other-secret-entirely", 300).sign(writer, "PATCH", TARGET, NOW);
        assertFalse(headers.verify(forged::get, "PATCH", TARGET, NOW).isAuthenticated());
    }

    @Test
    void staleOrFutureSignaturesAreRejected() {
        Map<String, String> signed = headers.sign(writer, "PATCH", TARGET, NOW);
        assertFalse(headers.verify(signed::get, "PATCH", TARGET, NOW + 301).isAuthenticated());
        assertFalse(headers.verify(signed::get, "PATCH", TARGET, NOW - 301).isAuthenticated());
        assertTrue(headers.verify(signed::get, "PATCH", TARGET, NOW + 299).isAuthenticated());
    }

    @Test
    void missingOrMalformedSignatureMeansAnonymous() {
        Map<String, String> signed = new HashMap<>(headers.sign(writer, "PATCH", TARGET, NOW));
        signed.put(IdentityHeaders.SIGNATURE, "garbage");
        assertEquals(Identity.anonymous(), headers.verify(signed::get, "PATCH", TARGET, NOW));
        signed.remove(IdentityHeaders.SIGNATURE);
        assertEquals(Identity.anonymous(), headers.verify(signed::get, "PATCH", TARGET, NOW));
        signed.put(IdentityHeaders.SIGNATURE, "t=abc,v2=00");
        assertEquals(Identity.anonymous(), headers.verify(signed::get, "PATCH", TARGET, NOW));
    }

    @Test
    void anonymousIdentityRoundTrips() {
        Map<String, String> signed = headers.sign(Identity.anonymous(), "GET", TARGET, NOW);
        Identity verified = headers.verify(signed::get, "GET", TARGET, NOW);
        assertFalse(verified.isAuthenticated());
        assertEquals(Set.of(), verified.scopes());
    }

    @Test
    void aSignatureHoldsOnlyForTheRequestItWasMadeFor() {
        Map<String, String> signed = headers.sign(writer, "PATCH", TARGET, NOW);
        assertFalse(headers.verify(signed::get, "DELETE", TARGET, NOW).isAuthenticated(), "another method");
        assertFalse(headers.verify(signed::get, "PATCH", "/api/v1/resources/13?fields=name", NOW).isAuthenticated(),
                "another path");
        assertFalse(headers.verify(signed::get, "PATCH", "/api/v1/resources/12", NOW).isAuthenticated(),
                "another query");
        assertTrue(headers.verify(signed::get, "PATCH", TARGET, NOW).isAuthenticated());
    }

    @Test
    void theRequestUnboundV1FormIsNoLongerAccepted() {
        Map<String, String> signed = new HashMap<>(headers.sign(writer, "PATCH", TARGET, NOW));
        signed.put(IdentityHeaders.SIGNATURE, signed.get(IdentityHeaders.SIGNATURE).replace(",v2=", ",v1="));
        assertFalse(headers.verify(signed::get, "PATCH", TARGET, NOW).isAuthenticated());
    }

    @Test
    void duringARotationThePreviousSecretVerifiesButNeverSigns() {
        String old = "the-secret-being-rotated-out";
        IdentityHeaders rotating = new IdentityHeaders("the-secret-rotated-in-now", old, 300);
        Map<String, String> fromAnOldGateway = new IdentityHeaders(old, 300).sign(writer, "PATCH", TARGET, NOW);
        assertEquals(writer, rotating.verify(fromAnOldGateway::get, "PATCH", TARGET, NOW));
        Map<String, String> fromANewGateway = rotating.sign(writer, "PATCH", TARGET, NOW);
        assertEquals(writer, rotating.verify(fromANewGateway::get, "PATCH", TARGET, NOW));
        assertFalse(new IdentityHeaders(old, 300).verify(fromANewGateway::get, "PATCH", TARGET, NOW)
                .isAuthenticated(), "signed with the previous secret");
        Map<String, String> fromElsewhere = new IdentityHeaders("neither-of-the-two-secrets", 300)
                .sign(writer, "PATCH", TARGET, NOW);
        assertFalse(rotating.verify(fromElsewhere::get, "PATCH", TARGET, NOW).isAuthenticated());
    }

    @Test
    void shortSecretsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityHeaders("short", 300));
        assertThrows(IllegalArgumentException.class,
                () -> new IdentityHeaders("a-secret-of-enough-length", "short", 300));
    }

    @Test
    void theDevProfilesPublishedSecretIsRefusedOutsideIt() {
        // No Quarkus profile here, so not dev: as in a production start with the dev overlay's secret.
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new IdentityHeaders(IdentityHeaders.DEV_SECRET, 300));
        assertTrue(refused.getMessage().contains("IDENTITY_SIGNING_SECRET"), refused.getMessage());
        assertThrows(IllegalStateException.class,
                () -> new IdentityHeaders("a-secret-of-enough-length", IdentityHeaders.DEV_SECRET, 300));
    }
}
