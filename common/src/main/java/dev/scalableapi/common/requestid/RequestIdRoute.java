package dev.scalableapi.common.requestid;

import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * First filter of every service: settles the request id, echoes it on the response, and puts it in the log
 * MDC. It runs as a Vert.x filter, so health, metrics, 404s and proxied routes get it as well as REST calls.
 * Proxies forward {@link RequestId#HEADER} from the (rewritten) request headers.
 */
@ApplicationScoped
public class RequestIdRoute {

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            settle(rc);
            rc.next();
        }, RouteOrder.REQUEST_ID);
    }

    /** Settles the id of {@code rc}'s request (also for answers given before any filter ran). */
    public static void settle(RoutingContext rc) {
        String id = RequestId.acceptOrGenerate(rc.request().getHeader(RequestId.HEADER));
        rc.request().headers().set(RequestId.HEADER, id);
        rc.response().headers().set(RequestId.HEADER, id);
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(RequestId.CONTEXT_KEY, id);
        }
        MDC.put(RequestId.MDC_KEY, id);
    }
}
