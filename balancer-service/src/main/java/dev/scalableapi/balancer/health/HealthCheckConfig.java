package dev.scalableapi.balancer.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Active health checks against every backend. */
@ConfigMapping(prefix = "balancer.health")
public interface HealthCheckConfig {

    @WithDefault("/q/health/ready")
    String path();

    /**
     * The port health checks go to ({@code BALANCER_HEALTH_PORT}): the replicas' management port, where api-service
     * answers {@code /q/health}. A backend's own port wins over it: {@code ;health-port=N} in {@code API_SERVERS}
     * (several local replicas, one management port each), or in Kubernetes the EndpointSlice port named
     * {@code balancer.endpoints.kubernetes.health-port-name}. Neither: the backend's traffic port.
     */
    Optional<Integer> port();

    @WithDefault("2s")
    Duration interval();

    @WithDefault("1s")
    Duration timeout();

    /** Consecutive failed checks that mark a backend unhealthy. */
    @WithDefault("2")
    int unhealthyThreshold();

    /** Consecutive passed checks that mark it healthy again. */
    @WithDefault("2")
    int healthyThreshold();
}
