package dev.scalableapi.api.instance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * This replica's part in the fleet-wide figures the gateway's admin API merges (same values in every service).
 * Beside the replica's identity, not in {@code fleet}: the breakers' reset broadcast reads the key prefix too, and
 * {@code fleet} reads the breakers.
 */
@ConfigMapping(prefix = "api.fleet")
public interface FleetConfig {

    @WithDefault("scalable-api:fleet:")
    String keyPrefix();

    /** How often the replica publishes its snapshot (≥ 1 s). */
    @WithDefault("10s")
    Duration interval();

    @WithDefault("6h")
    Duration retention();
}
