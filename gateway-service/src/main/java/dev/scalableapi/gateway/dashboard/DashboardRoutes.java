package dev.scalableapi.gateway.dashboard;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The dashboard's client-side routes ({@code /keys}, {@code /logs?keyId=4}, …) answer its {@code index.html}, so a
 * reload or a shared link opens the right screen. Quinoa serves the built files; its own SPA fallback runs after the
 * REST layer, whose 404 envelope would answer first, so the fallback lives here, ahead of it. {@code /api} and
 * {@code /q} are never touched, nor any path with a dot (files: a missing one stays a 404).
 */
@ApplicationScoped
public class DashboardRoutes {

    static final String CLIENT_ROUTE = "^/(?!api(/|$)|q(/|$))[^.]+$";

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.GET, CLIENT_ROUTE).order(2).handler(rc -> rc.reroute("/"));
    }
}
