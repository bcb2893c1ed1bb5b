package dev.scalableapi.balancer.outlier;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Passive outlier ejection, with Envoy's documented defaults. */
@ConfigMapping(prefix = "balancer.outlier")
public interface OutlierConfig {

    /** Consecutive 5xx answers or gateway failures (connect error, reset, timeout) that eject a backend. */
    @WithDefault("5")
    int consecutiveFailures();

    /** First ejection time; the n-th ejection in a row lasts n × this, up to {@link #maxEjectionTime()}. */
    @WithDefault("30s")
    Duration baseEjectionTime();

    @WithDefault("300s")
    Duration maxEjectionTime();

    /** Share of backends that may be ejected at once; at least one may always be. */
    @WithDefault("10")
    int maxEjectionPercent();
}
