package dev.scalableapi.gateway.security;

import dev.scalableapi.common.ordering.RouteOrder;
import dev.scalableapi.gateway.pipeline.ClientAddress;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browser-facing hardening on every gateway response. The Content-Security-Policy is the dashboard's: its built
 * files need nothing but same-origin scripts, styles and API calls (no inline code), so anything else a page tried
 * to load or run would be refused; on JSON answers it is inert. HSTS only when the request reached the ingress over TLS, as
 * a trusted proxy says (otherwise browsers ignore it and local HTTP stays usable).
 */
@ApplicationScoped
public class SecurityHeadersFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

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
                    .set("Cross-Origin-Resource-Policy", "same-origin")
                    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            if (rc.request().isSSL() || (fromTrustedProxy(rc)
                    && "https".equalsIgnoreCase(rc.request().getHeader("X-Forwarded-Proto")))) {
                rc.response().headers().set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            rc.next();
        }, RouteOrder.SECURITY_HEADERS);
    }

    private boolean fromTrustedProxy(RoutingContext rc) {
        var peer = rc.request().remoteAddress();
        return peer != null && clientAddress.isTrusted(peer.host());
    }
}
