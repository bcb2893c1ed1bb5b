package dev.scalableapi.gateway.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while at least one balancer answers its own readiness check: a gateway that cannot reach any balancer
 * should leave its Service.
 */
@Readiness
@ApplicationScoped
public class BalancerReadinessCheck implements HealthCheck {

    private final BalancerCluster cluster;

    BalancerReadinessCheck(BalancerCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("balancer");
        cluster.readiness().forEach((url, up) -> response.withData(url, up ? "UP" : "DOWN"));
        return response.status(cluster.readiness().containsValue(Boolean.TRUE)).build();
    }
}
