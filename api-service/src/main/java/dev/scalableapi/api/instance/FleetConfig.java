package dev.scalableapi.api.instance;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * This replica's part in the fleet-wide figures the gateway's admin API merges (same values in every service).
 * Beside the replica's identity, not in {@code fleet}: the breakers' reset broadcast reads the key prefix too, and
 * {@code fleet} reads the breakers.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "api.fleet")
public interface FleetConfig {

    String keyPrefix();

    /** How often the replica publishes its snapshot (≥ 1 s). */
    Duration interval();

    Duration retention();
}
