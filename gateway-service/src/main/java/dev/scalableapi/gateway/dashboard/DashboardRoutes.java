package dev.scalableapi.gateway.dashboard;

import dev.scalableapi.common.ordering.RouteOrder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The dashboard's client-side routes ({@code /keys}, {@code /logs?keyId=4}, …) answer its {@code index.html}, so a
 * reload or a shared link opens the right screen. Quinoa builds the files into the jar and serves them; its own SPA
 * fallback runs after the REST layer, whose 404 envelope would answer first, so the fallback lives here, ahead of
 * it. {@code /api} and {@code /q} are never touched, nor any path with a dot (files: a missing one stays a 404).
 * Without a built dashboard (Quinoa is off in tests) nothing is registered.
 */
@ApplicationScoped
public class DashboardRoutes {

    static final String CLIENT_ROUTE = "^/(?!api(/|$)|q(/|$))[^.]+$";
    private static final String INDEX = "META-INF/resources/index.html";

    void register(@Observes Router router) {
        byte[] index = index();
        if (index == null) {
            return;
        }
        router.routeWithRegex(HttpMethod.GET, CLIENT_ROUTE).order(RouteOrder.DASHBOARD).handler(rc -> rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(Buffer.buffer(index)));
    }

    private static byte[] index() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the dashboard's " + INDEX, e);
        }
    }
}
