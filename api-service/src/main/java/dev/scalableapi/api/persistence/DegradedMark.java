package dev.scalableapi.api.persistence;

import dev.scalableapi.common.degradation.Degraded;
import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Marks every answer given while PostgreSQL is unreachable ({@link Degraded#HEADER}): a cached read may be older
 * than the database's state, a 503 is the database's failure and not this replica's, and a readiness answer so
 * marked tells the balancer that the replica is degraded.
 */
@ApplicationScoped
public class DegradedMark {

    private final DatabaseAvailability database;

    DegradedMark(DatabaseAvailability database) {
        this.database = database;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            rc.addHeadersEndHandler(v -> {
                if (!database.reachable()) {
                    rc.response().headers().set(Degraded.HEADER, Degraded.DATABASE_UNAVAILABLE);
                }
            });
            rc.next();
        }, RouteOrder.DEGRADED_MARK);
    }
}
