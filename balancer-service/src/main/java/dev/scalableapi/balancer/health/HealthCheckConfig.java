package dev.scalableapi.balancer.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Active health checks against every backend. */
@ConfigMapping(prefix = "balancer.health")
public interface HealthCheckConfig {

    @WithDefault("/q/health/ready")
    String path();

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
