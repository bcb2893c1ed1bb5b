package dev.scalableapi.common.limits;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rejects a declared body over {@code quarkus.http.limits.max-body-size} with the 413 envelope before any of it
 * is read. Quarkus' own limit still guards chunked bodies that declare no length (with a bare 413).
 */
@ApplicationScoped
public class BodySizeLimitFilter {

    private final long maxBytes;
    private final RoutingErrorWriter errors;

    BodySizeLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max,
            RoutingErrorWriter errors) {
        this.maxBytes = max.asLongValue();
        this.errors = errors;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String declared = rc.request().getHeader("Content-Length");
            if (declared != null && exceeds(declared)) {
                rc.response().putHeader("Connection", "close");
                errors.write(rc.response(), new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "Request body exceeds " + maxBytes + " bytes"));
                return;
            }
            rc.next();
        }, RouteOrder.BODY_SIZE_LIMIT);
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
