package dev.scalableapi.api.instance;

import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stamps {@code X-Served-By: <instance id>} on every response, so callers behind the balancer see who answered. */
@ApplicationScoped
public class ServedByFilter {

    public static final String HEADER = "X-Served-By";

    private final String instanceId;

    ServedByFilter(InstanceConfig instance) {
        this.instanceId = instance.id();
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            rc.response().headers().set(HEADER, instanceId);
            rc.next();
        }, RouteOrder.SERVED_BY);
    }
}
