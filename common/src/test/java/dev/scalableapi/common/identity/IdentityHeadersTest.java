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
    private final IdentityHeaders headers = new IdentityHeaders("a-secret-of-enough-length", 300);
    private final Identity writer = new Identity(42L, 7L, "user", Set.of("read", "write"), "pro");

    @Test
    void signedIdentityVerifiesToTheSameIdentity() {
        Map<String, String> signed = headers.sign(writer, NOW);
        Identity verified = headers.verify(signed::get, NOW + 10);
        assertEquals(writer, verified);
        assertTrue(verified.hasScope("write"));
    }

    @Test
    void anyTamperedValueMakesTheCallerAnonymous() {
        for (String header : new String[] {IdentityHeaders.USER_ID, IdentityHeaders.ROLE, IdentityHeaders.SCOPES,
                IdentityHeaders.TIER, IdentityHeaders.KEY_ID}) {
            Map<String, String> signed = new HashMap<>(headers.sign(writer, NOW));
            signed.put(header, header.equals(IdentityHeaders.ROLE) ? "admin" : "1");
            assertFalse(headers.verify(signed::get, NOW).isAuthenticated(), header + " tampering accepted");
        }
    }

    @Test
    void signatureFromAnotherSecretIsRejected() {
        Map<String, String> forged = new IdentityHeaders("some-other-secret-entirely", 300).sign(writer, NOW);
        assertFalse(headers.verify(forged::get, NOW).isAuthenticated());
    }

    @Test
    void staleOrFutureSignaturesAreRejected() {
        Map<String, String> signed = headers.sign(writer, NOW);
        assertFalse(headers.verify(signed::get, NOW + 301).isAuthenticated());
        assertFalse(headers.verify(signed::get, NOW - 301).isAuthenticated());
        assertTrue(headers.verify(signed::get, NOW + 299).isAuthenticated());
    }

    @Test
    void missingOrMalformedSignatureMeansAnonymous() {
        Map<String, String> signed = new HashMap<>(headers.sign(writer, NOW));
        signed.put(IdentityHeaders.SIGNATURE, "garbage");
        assertEquals(Identity.anonymous(), headers.verify(signed::get, NOW));
        signed.remove(IdentityHeaders.SIGNATURE);
        assertEquals(Identity.anonymous(), headers.verify(signed::get, NOW));
        signed.put(IdentityHeaders.SIGNATURE, "t=abc,v1=00");
        assertEquals(Identity.anonymous(), headers.verify(signed::get, NOW));
    }

    @Test
    void anonymousIdentityRoundTrips() {
        Map<String, String> signed = headers.sign(Identity.anonymous(), NOW);
        Identity verified = headers.verify(signed::get, NOW);
        assertFalse(verified.isAuthenticated());
        assertEquals(Set.of(), verified.scopes());
    }

    @Test
    void shortSecretsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityHeaders("short", 300));
    }
}
