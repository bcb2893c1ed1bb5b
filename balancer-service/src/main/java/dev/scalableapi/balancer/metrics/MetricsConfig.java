package dev.scalableapi.balancer.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.List;

/** How proxied requests are tagged in the balancer's own metrics ({@code balancer.metrics.*}). */
@ConfigMapping(prefix = "balancer.metrics")
public interface MetricsConfig {

    /**
     * api-service's REST route templates ({@code /api/v1/resources/{id}}): a proxied request is tagged
     * {@code uri=<the template it matches>}, or {@code uri="UNKNOWN"} when it matches none.
     */
    @WithName("route-templates")
    List<String> routeTemplates();
}
