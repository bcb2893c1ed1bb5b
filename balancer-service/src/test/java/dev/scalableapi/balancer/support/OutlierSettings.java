package dev.scalableapi.balancer.support;

import dev.scalableapi.balancer.outlier.OutlierConfig;
import java.time.Duration;

/** Outlier settings for unit tests, which build the detector without Quarkus' config. */
public record OutlierSettings(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
        int maxEjectionPercent) implements OutlierConfig {

    /** Envoy's defaults, as {@link OutlierConfig} declares them. */
    public static OutlierSettings envoyDefaults() {
        return new OutlierSettings(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 10);
    }
}
