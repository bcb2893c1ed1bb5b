package dev.scalableapi.gateway.metrics;

import dev.scalableapi.common.metrics.RouteTemplateTagging;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tags proxied requests in {@code http.server.requests} by api-service's route template, not by raw path
 * ({@link RouteTemplateTagging}).
 */
@ApplicationScoped
public class RouteTemplateTags {

    void register(@Observes Filters filters, MetricsConfig config) {
        RouteTemplateTagging.register(filters, config.routeTemplates());
    }

    @Produces
    @Singleton
    MeterFilter unmatchedUri() {
        return RouteTemplateTagging.unmatchedUri();
    }
}
