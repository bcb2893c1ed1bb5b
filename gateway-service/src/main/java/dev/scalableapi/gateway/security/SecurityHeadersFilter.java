package dev.scalableapi.gateway.security;

import dev.scalableapi.gateway.pipeline.ClientAddress;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browser-facing hardening on every gateway response. HSTS only when the request reached the ingress over TLS, as
 * a trusted proxy says (otherwise browsers ignore it and local HTTP stays usable).
 */
@ApplicationScoped
public class SecurityHeadersFilter {

    private final ClientAddress clientAddress;

    SecurityHeadersFilter(ClientAddress clientAddress) {
        this.clientAddress = clientAddress;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            rc.response().headers()
                    .set("X-Content-Type-Options", "nosniff")
                    .set("X-Frame-Options", "DENY")
                    .set("Referrer-Policy", "no-referrer")
                    .set("Cross-Origin-Resource-Policy", "same-origin");
            if (rc.request().isSSL() || (fromTrustedProxy(rc)
                    && "https".equalsIgnoreCase(rc.request().getHeader("X-Forwarded-Proto")))) {
                rc.response().headers().set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            rc.next();
        }, 9_500);
    }

    private boolean fromTrustedProxy(RoutingContext rc) {
        var peer = rc.request().remoteAddress();
        return peer != null && clientAddress.isTrusted(peer.host());
    }
}
