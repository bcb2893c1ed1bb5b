package dev.scalableapi.gateway.keys;

import dev.scalableapi.gateway.security.RandomTokens;
import dev.scalableapi.gateway.security.Sha256;
import java.util.regex.Pattern;

/**
 * API keys look like {@code sk_<env>_<random>}: at least 32 base62 characters (≥ 190 bits) from a CSPRNG. Only the
 * SHA-256 of the whole key and a short visible prefix are stored; with that much entropy a fast hash is the
 * right one (nothing to brute-force), and lookups by hash reveal nothing about stored keys through timing.
 */
public final class ApiKeyFormat {

    private static final Pattern FORMAT = Pattern.compile("sk_[a-z]{2,10}_[A-Za-z0-9]{32,128}");
    private static final int RANDOM_LENGTH = 40;
    private static final int VISIBLE_RANDOM_CHARS = 4;
    /** The environment of the dev seed's keys, whose plain values are published (README, scripts/run). */
    private static final String DEV = "dev";

    private ApiKeyFormat() {
    }

    public static String generate(String environment) {
        return "sk_" + environment + '_' + RandomTokens.base62(RANDOM_LENGTH);
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && candidate.length() <= 160 && FORMAT.matcher(candidate).matches();
    }

    /**
     * Well-formed, and no dev key unless this gateway makes dev keys itself ({@code gateway.keys.environment=dev},
     * the dev profile): a database seeded in dev and promoted, or the seed run by mistake, must not let the
     * published dev keys in.
     */
    public static boolean isAcceptable(String candidate, KeysConfig config) {
        return isWellFormed(candidate) && (!candidate.startsWith("sk_" + DEV + '_') || DEV.equals(config.environment()));
    }

    /** {@code sk_live_Ab3x}: enough to recognise a key in a list, useless to an attacker. */
    public static String prefix(String key) {
        int randomStart = key.indexOf('_', 3) + 1;
        return key.substring(0, randomStart + VISIBLE_RANDOM_CHARS);
    }

    public static String hash(String key) {
        return Sha256.hex(key);
    }
}
