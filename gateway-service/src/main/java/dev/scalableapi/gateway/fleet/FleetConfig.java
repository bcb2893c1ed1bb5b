package dev.scalableapi.gateway.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Fleet-wide metrics: each replica's per-interval snapshot in Redis, merged by the admin API.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "gateway.fleet")
public interface FleetConfig {

    /** Same value in every service of an installation ({@code FLEET_KEY_PREFIX}). */
    String keyPrefix();

    /** Snapshot interval ({@code FLEET_INTERVAL}); also the resolution of the history charts. */
    Duration interval();

    /** How far back {@code /metrics/history} reaches; older snapshots are trimmed. */
    Duration retention();

    /** A replica whose last snapshot is older than this many intervals is reported as gone. */
    @WithDefault("3")
    int staleAfterIntervals();

    /** Distinct rate-limited subjects one snapshot names; the rest are summed as {@code other}. */
    @WithDefault("50")
    int blockedSubjectsPerSnapshot();
}
