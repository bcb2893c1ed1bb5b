package dev.scalableapi.gateway.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Fleet-wide metrics: each replica's per-interval snapshot in Redis, merged by the admin API. */
@ConfigMapping(prefix = "gateway.fleet")
public interface FleetConfig {

    /** Same value in every service of an installation ({@code FLEET_KEY_PREFIX}). */
    @WithDefault("scalable-api:fleet:")
    String keyPrefix();

    /** Snapshot interval ({@code FLEET_INTERVAL}); also the resolution of the history charts. */
    @WithDefault("10s")
    Duration interval();

    /** How far back {@code /metrics/history} reaches; older snapshots are trimmed. */
    @WithDefault("6h")
    Duration retention();

    /** A replica whose last snapshot is older than this many intervals is reported as gone. */
    @WithDefault("3")
    int staleAfterIntervals();

    /** Distinct rate-limited subjects one snapshot names; the rest are summed as {@code other}. */
    @WithDefault("50")
    int blockedSubjectsPerSnapshot();
}
