package dev.scalableapi.common.errors;

import dev.scalableapi.common.ordering.RouteOrder;
import dev.scalableapi.common.requestid.RequestIdRoute;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a target that is not a path (the asterisk form {@code OPTIONS *}) with 400 {@code MALFORMED_REQUEST} and a
 * request id: Vert.x Web fails such a routing context with a bare 404 before any filter or route runs. A failure
 * handler, ahead of Quarkus' own error handling.
 */
@ApplicationScoped
public class MalformedRequestEnvelope {

    private final RoutingErrorWriter errors;

    MalformedRequestEnvelope(RoutingErrorWriter errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(RouteOrder.NOT_A_PATH).failureHandler(rc -> {
            String path = rc.request().path();
            if (rc.failure() == null && rc.statusCode() == 404 && (path == null || !path.startsWith("/"))) {
                RequestIdRoute.settle(rc);
                rc.response().putHeader("Connection", "close");
                errors.write(rc.response(), new ApiException(ErrorCode.MALFORMED_REQUEST,
                        "Malformed request target: not a path"));
            } else {
                rc.next();
            }
        });
    }
}
