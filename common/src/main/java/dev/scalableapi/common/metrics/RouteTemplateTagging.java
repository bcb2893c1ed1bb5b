package dev.scalableapi.common.metrics;

import dev.scalableapi.common.ordering.RouteOrder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Handler;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Gives proxied requests a bounded {@code uri} tag on {@code http.server.requests}. Quarkus tags a plain Vert.x
 * route (each proxy is one regex route) with the raw path, so every id became a series of its own. When the
 * request context holds a {@value #URL_PATH_TEMPLATE} local, Quarkus tags that instead — the hook its REST layer
 * fills with the {@code @Path} template (OpenTelemetry reads it too, as {@code http.route}). This filter fills it
 * with the API's route template the path matches, or {@value #UNMATCHED} when none does. REST resources of the
 * service itself set their own template later in the request and win. {@code /q/…} is left alone: Quarkus does
 * not measure it unless {@code suppress-non-application-uris} is off, and then its fixed paths are fine tags.
 * <p>
 * Why this and not the alternatives: it costs one scan of the path ({@link RouteTemplates}) and leaves Micrometer
 * one stable meter id per route, which it caches. A {@code MeterFilter} rewriting raw paths would see a new id on
 * nearly every request, so it would run (and allocate ids) per request, and could not tell a raw path from a
 * REST template; {@code quarkus.micrometer.binder.http-server.match-patterns} runs a regex per pattern on every
 * request, and a catch-all there would override the REST templates too (patterns apply first).
 * <p>
 * Quarkus writes every template as a path, which makes the bucket {@code /UNKNOWN}; {@link #unmatchedUri()} gives
 * it Quarkus' own spelling back. That filter is cheap: it runs once per new meter id, and its id is stable.
 */
public final class RouteTemplateTagging implements Handler<RoutingContext> {

    /**
     * The {@code uri} of every request whose path matches no template, whatever its status: Quarkus' word for a uri
     * it cannot name (it says {@code NOT_FOUND} only for a 404 it could not route).
     */
    public static final String UNMATCHED = "UNKNOWN";
    /** The request-context local Quarkus' Micrometer and OpenTelemetry read the route template from. */
    static final String URL_PATH_TEMPLATE = "UrlPathTemplate";
    private static final String NON_APPLICATION_ROOT = "/q";
    private static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    private static final String URI = "uri";

    private final RouteTemplates templates;

    private RouteTemplateTagging(RouteTemplates templates) {
        this.templates = templates;
    }

    /** Registers the filter for these templates. */
    public static void register(Filters filters, List<String> templates) {
        filters.register(new RouteTemplateTagging(RouteTemplates.of(templates)), RouteOrder.ROUTE_TEMPLATE_TAG);
    }

    /** Spells the bucket of unmatched paths {@value #UNMATCHED} in {@code http.server.requests}. */
    public static MeterFilter unmatchedUri() {
        Tag unmatched = Tag.of(URI, UNMATCHED);
        String written = "/" + UNMATCHED;
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(HTTP_SERVER_REQUESTS) && written.equals(id.getTag(URI))
                        ? id.withTag(unmatched) : id;
            }
        };
    }

    @Override
    public void handle(RoutingContext rc) {
        String path = decodablePath(rc);
        if (path == null || !isNonApplication(path)) {
            String template = path == null ? null : templates.match(path);
            ((HttpServerRequestInternal) rc.request()).context()
                    .putLocal(URL_PATH_TEMPLATE, template == null ? UNMATCHED : template);
        }
        rc.next();
    }

    /** The normalized path, or null when its escapes cannot be decoded (refused after this, with the envelope). */
    private static String decodablePath(RoutingContext rc) {
        try {
            return rc.normalizedPath();
        } catch (IllegalArgumentException undecodable) {
            return null;
        }
    }

    private static boolean isNonApplication(String path) {
        return path.startsWith(NON_APPLICATION_ROOT) && (path.length() == NON_APPLICATION_ROOT.length()
                || path.charAt(NON_APPLICATION_ROOT.length()) == '/');
    }
}
