package dev.scalableapi.gateway.security;

import java.security.SecureRandom;

/** Secrets the gateway hands out (API keys, user tokens, session ids, CSRF tokens): base62 from a CSPRNG. */
public final class RandomTokens {

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {
    }

    /** {@code length} base62 characters: about 5.95 bits each. */
    public static String base62(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return token.toString();
    }
}
