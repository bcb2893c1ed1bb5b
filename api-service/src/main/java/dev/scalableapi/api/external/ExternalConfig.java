package dev.scalableapi.api.external;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * The simulated flaky downstream behind {@code GET /api/v1/external}.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "api.external")
public interface ExternalConfig {

    /** Share of calls that fail, 0.0–1.0 ({@code EXTERNAL_FAILURE_RATE}). */
    double failureRate();

    /** Time each call takes ({@code EXTERNAL_LATENCY}). */
    Duration latency();
}
