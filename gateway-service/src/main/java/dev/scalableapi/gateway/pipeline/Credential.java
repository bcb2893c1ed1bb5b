package dev.scalableapi.gateway.pipeline;

import io.vertx.core.http.HttpServerRequest;

/**
 * What a caller presented: whatever {@code X-API-Key} carries is judged as an API key; a value in
 * {@code Authorization: Bearer} is an API key when it has the key format's {@code sk_} prefix, else a user's login
 * token.
 *
 * @param value  the credential, trimmed
 * @param bearer whether it came in {@code Authorization: Bearer}
 */
public record Credential(String value, boolean bearer) {

    /** The credential the request presents, or null. */
    public static Credential presentedIn(HttpServerRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key != null && !key.isBlank()) {
            return new Credential(key.trim(), false);
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : new Credential(token, true);
    }

    public boolean isApiKey() {
        return !bearer || value.startsWith("sk_");
    }

    public boolean isUserToken() {
        return !isApiKey();
    }
}
