package dev.scalableapi.common.identity;

import io.quarkus.runtime.configuration.ConfigUtils;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The identity the gateway forwards to api-service, as headers signed with a secret shared by the two
 * (HMAC-SHA256 over a timestamp, the request's method and target, and the identity). api-service believes the
 * identity headers only when the signature verifies for the request it received and is fresh; otherwise the caller
 * is anonymous. Binding method and target means a captured set of headers cannot be replayed on another route
 * (a signed GET cannot authorise a DELETE). The gateway drops any identity headers a client sent before adding its
 * own, so a client cannot forge them even without the secret. During a secret rotation the previous secret still
 * verifies (never signs), so gateways and replicas can take the new secret one by one.
 */
public final class IdentityHeaders {

    public static final String USER_ID = "X-Identity-User-Id";
    public static final String KEY_ID = "X-Identity-Key-Id";
    public static final String ROLE = "X-Identity-Role";
    public static final String SCOPES = "X-Identity-Scopes";
    public static final String TIER = "X-Identity-Tier";
    /** {@code t=<epoch seconds>,v2=<hex hmac>}; v1 (not bound to the request) is no longer accepted. */
    public static final String SIGNATURE = "X-Identity-Signature";

    public static final Set<String> ALL = Set.of(USER_ID, KEY_ID, ROLE, SCOPES, TIER, SIGNATURE);

    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "v2=";

    /** The dev profile's default (application.properties, the dev overlay): public, so refused in any other profile. */
    public static final String DEV_SECRET = "dev-only-identity-secret-change-me";

    private final long maxSkewSeconds;
    /** Mac is not thread-safe and costly to look up and key; every request signs or verifies, so keep one per thread. */
    private final ThreadLocal<Mac> mac;
    /** The secret being rotated out, or null: verifies only. */
    private final ThreadLocal<Mac> previousMac;

    public IdentityHeaders(String secret, long maxSkewSeconds) {
        this(secret, null, maxSkewSeconds);
    }

    /** @param previousSecret the secret before a rotation, still accepted when verifying; null or empty: none */
    public IdentityHeaders(String secret, String previousSecret, long maxSkewSeconds) {
        this.maxSkewSeconds = maxSkewSeconds;
        this.mac = macFor(secret);
        this.previousMac = previousSecret == null || previousSecret.isEmpty() ? null : macFor(previousSecret);
    }

    private static ThreadLocal<Mac> macFor(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("identity signing secret must be at least 16 characters");
        }
        if (DEV_SECRET.equals(secret) && !ConfigUtils.isProfileActive("dev")) {
            throw new IllegalStateException("Refusing the dev profile's published identity signing secret outside "
                    + "the dev profile: set IDENTITY_SIGNING_SECRET (and IDENTITY_SIGNING_SECRET_PREVIOUS) to a secret "
                    + "of your own");
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        return ThreadLocal.withInitial(() -> {
            try {
                Mac instance = Mac.getInstance(ALGORITHM);
                instance.init(key);
                return instance;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /**
     * Headers to add to a forwarded request for this identity, signed at {@code epochSeconds} for the request
     * {@code method target} ({@code target}: path and query exactly as sent in the request line).
     */
    public Map<String, String> sign(Identity identity, String method, String target, long epochSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(USER_ID, identity.userId() == null ? "" : identity.userId().toString());
        headers.put(KEY_ID, identity.keyId() == null ? "" : identity.keyId().toString());
        headers.put(ROLE, nullToEmpty(identity.role()));
        headers.put(SCOPES, String.join(",", new TreeSet<>(identity.scopes())));
        headers.put(TIER, nullToEmpty(identity.tier()));
        headers.put(SIGNATURE, "t=" + epochSeconds + "," + VERSION
                + hmac(mac, canonical(headers::get, method, target, epochSeconds)));
        return headers;
    }

    /**
     * The identity carried by {@code header} for the request {@code method target} as received, or anonymous when
     * it is absent, stale, signed for another request or not signed by the secret (or the previous one).
     */
    public Identity verify(Function<String, String> header, String method, String target, long nowEpochSeconds) {
        String signature = header.apply(SIGNATURE);
        if (signature == null) {
            return Identity.anonymous();
        }
        String[] parts = signature.split(",");
        if (parts.length != 2 || !parts[0].startsWith("t=") || !parts[1].startsWith(VERSION)) {
            return Identity.anonymous();
        }
        long signedAt;
        try {
            signedAt = Long.parseLong(parts[0].substring(2));
        } catch (NumberFormatException e) {
            return Identity.anonymous();
        }
        if (Math.abs(nowEpochSeconds - signedAt) > maxSkewSeconds) {
            return Identity.anonymous();
        }
        String canonical = canonical(header, method, target, signedAt);
        byte[] given = parts[1].substring(VERSION.length()).getBytes(StandardCharsets.US_ASCII);
        if (!matches(mac, canonical, given) && (previousMac == null || !matches(previousMac, canonical, given))) {
            return Identity.anonymous();
        }
        try {
            String user = nullToEmpty(header.apply(USER_ID));
            String key = nullToEmpty(header.apply(KEY_ID));
            String scopes = nullToEmpty(header.apply(SCOPES));
            return new Identity(
                    user.isEmpty() ? null : Long.valueOf(user),
                    key.isEmpty() ? null : Long.valueOf(key),
                    emptyToNull(header.apply(ROLE)),
                    scopes.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(scopes.split(","))),
                    emptyToNull(header.apply(TIER)));
        } catch (NumberFormatException e) {
            return Identity.anonymous();
        }
    }

    private static String canonical(Function<String, String> header, String method, String target,
            long epochSeconds) {
        return String.join("\n", Long.toString(epochSeconds), method, target,
                nullToEmpty(header.apply(USER_ID)), nullToEmpty(header.apply(KEY_ID)),
                nullToEmpty(header.apply(ROLE)), nullToEmpty(header.apply(SCOPES)),
                nullToEmpty(header.apply(TIER)));
    }

    private static boolean matches(ThreadLocal<Mac> mac, String canonical, byte[] given) {
        return MessageDigest.isEqual(hmac(mac, canonical).getBytes(StandardCharsets.US_ASCII), given);
    }

    private static String hmac(ThreadLocal<Mac> mac, String message) {
        return HexFormat.of().formatHex(mac.get().doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
