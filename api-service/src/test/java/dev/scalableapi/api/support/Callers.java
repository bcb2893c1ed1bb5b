package dev.scalableapi.api.support;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import java.util.Map;
import java.util.Set;

/** Signed identity headers, as the gateway would send them, for the test profile's signing secret. */
public final class Callers {

    /** Same value as {@code %test.api.identity.signing-secret}. */
    public static final String SECRET = "test-identity-secret-0123456789";

    private static final IdentityHeaders SIGNER = new IdentityHeaders(SECRET, 300);

    private Callers() {
    }

    public static Map<String, String> writer(long userId) {
        return sign(new Identity(userId, null, "user", Set.of("read", "write"), "free"));
    }

    public static Map<String, String> reader(long userId) {
        return sign(new Identity(userId, null, "user", Set.of("read"), "free"));
    }

    public static Map<String, String> admin(long userId) {
        return sign(new Identity(userId, null, "admin", Set.of("read", "write"), "enterprise"));
    }

    public static Map<String, String> sign(Identity identity) {
        return SIGNER.sign(identity, System.currentTimeMillis() / 1000);
    }
}
