package dev.scalableapi.gateway.pipeline;

import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Resolves the caller once per request, for every route — proxied, {@code /me}, admin, login: the credential it
 * presented and its client address behind the trusted proxies, kept in its {@link Exchange}. Stages, resources
 * and the request log read them from there instead of parsing headers again.
 */
@ApplicationScoped
public class CallerFilter {

    private final ClientAddress clientAddress;

    CallerFilter(ClientAddress clientAddress) {
        this.clientAddress = clientAddress;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            Exchange.start(rc, clientAddress.resolve(rc), Credential.presentedIn(rc.request()));
            rc.next();
        }, RouteOrder.CALLER);
    }
}
