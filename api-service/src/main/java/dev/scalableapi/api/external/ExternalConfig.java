package dev.scalableapi.api.external;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The simulated flaky downstream behind {@code GET /api/v1/external}. */
@ConfigMapping(prefix = "api.external")
public interface ExternalConfig {

    /** Share of calls that fail, 0.0–1.0 ({@code EXTERNAL_FAILURE_RATE}). */
    @WithDefault("0.2")
    double failureRate();

    /** Time each call takes ({@code EXTERNAL_LATENCY}). */
    @WithDefault("50ms")
    Duration latency();
}
