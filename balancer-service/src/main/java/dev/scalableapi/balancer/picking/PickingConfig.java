package dev.scalableapi.balancer.picking;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "balancer.picking")
public interface PickingConfig {

    enum Policy {
        /** Power of two choices over in-flight requests per weight (Envoy's least_request default). */
        P2C,
        /** Exact least in-flight per weight over every available backend; ties broken at random. */
        LEAST_CONNECTIONS
    }

    Policy policy();
}
