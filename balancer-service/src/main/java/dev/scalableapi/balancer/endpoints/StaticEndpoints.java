package dev.scalableapi.balancer.endpoints;

import dev.scalableapi.balancer.health.HealthCheckConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/** Local discovery: the fixed list of {@code API_SERVERS}. */
@ApplicationScoped
public class StaticEndpoints {

    private final EndpointsConfig config;
    private final HealthCheckConfig health;
    private final BackendPool pool;

    StaticEndpoints(EndpointsConfig config, HealthCheckConfig health, BackendPool pool) {
        this.config = config;
        this.health = health;
        this.pool = pool;
    }

    void start(@Observes StartupEvent event) {
        if (config.mode() != EndpointsConfig.Mode.STATIC) {
            return;
        }
        List<String> servers = config.servers().orElseThrow(() -> new IllegalStateException(
                "balancer.endpoints.mode=static needs API_SERVERS (balancer.endpoints.servers)"));
        pool.replace(servers.stream().filter(s -> !s.isBlank()).map(s -> BackendAddress.parse(s, health.port().orElse(0))).toList());
    }
}
