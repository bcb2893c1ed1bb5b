package dev.scalableapi.gateway.admin;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.gateway.accounts.UserAccount;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The admin whom {@link AdminAccessFilter} let through, kept in the routing context for the resource method.
 *
 * @param sessionId the session's id when the admin came with the cookie, else null (bearer token)
 * @param csrfToken that session's CSRF token, else null
 */
public record AdminCaller(UserAccount user, String sessionId, String csrfToken) {

    private static final String KEY = "scalable-api.admin-caller";

    static void put(RoutingContext rc, AdminCaller caller) {
        rc.put(KEY, caller);
    }

    /** The admin of this request; only admin routes after the filter have one. */
    public static AdminCaller of(RoutingContext rc) {
        AdminCaller caller = rc.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("No admin caller: route is not behind AdminAccessFilter");
        }
        return caller;
    }

    /** The identity signed onto calls the gateway makes on the admin's behalf (api-service internal routes). */
    public Identity identity() {
        return new Identity(user.id(), null, user.role(), Set.of("read", "write"), user.tier());
    }
}
