package dev.scalableapi.common.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In the services that proxy to api-service (gateway, balancer), tags proxied requests in
 * {@code http.server.requests} by api-service's route template, not by raw path ({@link RouteTemplateTagging}).
 * The templates are {@value #TEMPLATES}; a service that lists none (api-service, whose REST layer names its own
 * routes) gets no filter.
 */
@ApplicationScoped
public class RouteTemplateTags {

    /** api-service's REST route templates ({@code /api/v1/resources/{id}}), exactly its {@code @Path}s. */
    public static final String TEMPLATES = "metrics.proxied-route-templates";

    void register(@Observes Filters filters, @ConfigProperty(name = TEMPLATES) Optional<List<String>> templates) {
        templates.ifPresent(list -> RouteTemplateTagging.register(filters, list));
    }

    @Produces
    @Singleton
    MeterFilter unmatchedUri() {
        return RouteTemplateTagging.unmatchedUri();
    }
}
