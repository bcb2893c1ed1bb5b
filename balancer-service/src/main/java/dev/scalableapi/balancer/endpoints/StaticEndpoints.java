package dev.scalableapi.balancer.endpoints;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/** Local discovery: the fixed list of {@code API_SERVERS}. */
@ApplicationScoped
public class StaticEndpoints {

    private final EndpointsConfig config;
    private final BackendPool pool;

    StaticEndpoints(EndpointsConfig config, BackendPool pool) {
        this.config = config;
        this.pool = pool;
    }

    void start(@Observes StartupEvent event) {
        if (config.mode() != EndpointsConfig.Mode.STATIC) {
            return;
        }
        List<String> servers = config.servers().orElseThrow(() -> new IllegalStateException(
                "balancer.endpoints.mode=static needs API_SERVERS (balancer.endpoints.servers)"));
        pool.replace(servers.stream().filter(s -> !s.isBlank()).map(BackendAddress::parse).toList());
    }
}
