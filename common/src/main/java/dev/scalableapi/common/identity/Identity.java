package dev.scalableapi.common.identity;

import java.util.Set;

/**
 * Who is calling, as the gateway established it. Anonymous callers have no user id and no scopes.
 *
 * @param userId owning user (for an API key: the key's owner), or null when anonymous
 * @param keyId  API key id when the call used a key, else null
 * @param role   {@code admin} or {@code user}; null when anonymous
 * @param scopes granted scopes ({@code read}, {@code write})
 * @param tier   rate-limit tier the gateway applied
 */
public record Identity(Long userId, Long keyId, String role, Set<String> scopes, String tier) {

    public static final String ROLE_ADMIN = "admin";
    public static final String SCOPE_WRITE = "write";

    public static Identity anonymous() {
        return new Identity(null, null, null, Set.of(), "anonymous");
    }

    public boolean isAuthenticated() {
        return userId != null;
    }

    public boolean isAdmin() {
        return ROLE_ADMIN.equals(role);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
