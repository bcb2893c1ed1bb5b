package dev.scalableapi.api.identity;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.identity.Identity;

/** Who may write: an authenticated caller with the write scope, and for existing resources the owner or an admin. */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static void requireWriter(Identity caller) {
        if (!caller.isAuthenticated()) {
            throw new ApiException(ErrorCode.AUTH_REQUIRED, "Authentication required for writes");
        }
        if (!caller.hasScope(Identity.SCOPE_WRITE)) {
            throw new ApiException(ErrorCode.INSUFFICIENT_SCOPE, "The 'write' scope is required");
        }
    }

    public static void requireOwnerOrAdmin(Identity caller, long ownerId) {
        if (!caller.isAdmin() && !Long.valueOf(ownerId).equals(caller.userId())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only the owner or an admin may change this resource");
        }
    }

    public static void requireAdmin(Identity caller) {
        if (!caller.isAuthenticated()) {
            throw new ApiException(ErrorCode.AUTH_REQUIRED, "Authentication required");
        }
        if (!caller.isAdmin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Admin role required");
        }
    }
}
