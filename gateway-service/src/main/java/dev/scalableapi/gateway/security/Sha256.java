package dev.scalableapi.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lower-case hex: how high-entropy secrets (keys, tokens, session ids) are stored and looked up. With
 * ≥ 190 random bits there is nothing to brute-force, so a fast hash is the right one. Every keyed request hashes
 * its key: each thread keeps its own digest instead of looking one up in the security providers per call.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Sha256() {
    }

    public static String hex(String value) {
        // digest() resets the instance, so the next call on this thread starts clean
        return HEX.formatHex(DIGEST.get().digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
