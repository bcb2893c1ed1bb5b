package dev.scalableapi.gateway.accounts;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** The credential of {@code Authorization: Bearer <credential>}, if any. */
public final class BearerToken {

    private BearerToken() {
    }

    public static Optional<String> of(RoutingContext rc) {
        String authorization = rc.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
