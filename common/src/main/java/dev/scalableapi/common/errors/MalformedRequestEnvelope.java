package dev.scalableapi.common.errors;

import dev.scalableapi.common.ordering.RouteOrder;
import dev.scalableapi.common.requestid.RequestIdRoute;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Refuses a malformed request target with 400 {@code MALFORMED_REQUEST}, the envelope and a request id, where the
 * stack below would answer a bare status:
 * <ul>
 * <li>a target {@link URI} cannot parse (a lone {@code %}, {@code %G1}, a raw brace): Quarkus' root HTTP handler
 * checks exactly this before the router and answers a bare 400, unless {@value #QUARKUS_URI_VALIDATION} is set —
 * so it is set as the container starts and the same check runs here, as a filter after the request id, the
 * request log and the security headers;</li>
 * <li>a target that is not a path (the asterisk form {@code OPTIONS *}): Vert.x Web fails the routing context with a
 * bare 404 before any filter runs, so a failure handler ahead of Quarkus' own error handling answers it.</li>
 * </ul>
 */
@ApplicationScoped
public class MalformedRequestEnvelope {

    /**
     * Read once, when Quarkus builds its root handler: after the container starts, before the start-up event (an
     * observer of that is too late).
     */
    static final String QUARKUS_URI_VALIDATION = "vertx.disableURIValidation";

    private final RoutingErrorWriter errors;

    MalformedRequestEnvelope(RoutingErrorWriter errors) {
        this.errors = errors;
    }

    static void takeOverUriValidation(@Observes @Initialized(ApplicationScoped.class) Object started) {
        System.setProperty(QUARKUS_URI_VALIDATION, "true");
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            try {
                new URI(rc.request().uri());
            } catch (URISyntaxException malformed) {
                refuse(rc, "it is not a valid URI");
                return;
            }
            rc.next();
        }, RouteOrder.MALFORMED_TARGET);
    }

    void register(@Observes Router router) {
        router.route().order(RouteOrder.NOT_A_PATH).failureHandler(rc -> {
            String path = rc.request().path();
            if (rc.failure() == null && rc.statusCode() == 404 && (path == null || !path.startsWith("/"))) {
                RequestIdRoute.settle(rc);
                refuse(rc, "not a path");
            } else {
                rc.next();
            }
        });
    }

    private void refuse(RoutingContext rc, String why) {
        rc.response().putHeader("Connection", "close");
        errors.write(rc.response(), new ApiException(ErrorCode.MALFORMED_REQUEST, "Malformed request target: " + why));
    }
}
