package dev.scalableapi.api.persistence;

import io.vertx.ext.web.RoutingContext;
import io.quarkus.vertx.http.ManagementInterface;
import dev.scalableapi.common.degradation.Degraded;
import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Marks every answer given while PostgreSQL is unreachable ({@link Degraded#HEADER}): a cached read may be older
 * than the database's state, a 503 is the database's failure and not this replica's, and a readiness answer so
 * marked tells the balancer that the replica is degraded — on the management interface too, where readiness lives.
 */
@ApplicationScoped
public class DegradedMark {

    private final DatabaseAvailability database;

    DegradedMark(DatabaseAvailability database) {
        this.database = database;
    }

    void register(@Observes Filters filters) {
        filters.register(this::mark, RouteOrder.DEGRADED_MARK);
    }

    void register(@Observes ManagementInterface management) {
        // as Quarkus places a filter: before every route, the higher the priority the earlier
        management.router().route().order(-RouteOrder.DEGRADED_MARK).handler(this::mark);
    }

    private void mark(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            if (!database.reachable()) {
                rc.response().headers().set(Degraded.HEADER, Degraded.DATABASE_UNAVAILABLE);
            }
        });
        rc.next();
    }
}
