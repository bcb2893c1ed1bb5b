package dev.scalableapi.common.management;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.runtime.LaunchMode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Health, metrics and OpenAPI live on the management interface ({@code quarkus.management.port}); on the traffic
 * port {@code /q/…} is an unknown route like any other: 404 {@code NOT_FOUND} in the envelope, whatever follows
 * {@code /q}. Left out under {@code quarkus:dev}, whose Dev UI lives there.
 */
@ApplicationScoped
public class ManagementPathsNotFound {

    private final RoutingErrorWriter errors;

    ManagementPathsNotFound(RoutingErrorWriter errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            return;
        }
        router.routeWithRegex("^/q(/.*)?$").order(RouteOrder.MANAGEMENT_PATHS)
                .handler(rc -> errors.write(rc.response(), ApiException.notFound("Route " + rc.normalizedPath())));
    }
}
