package dev.scalableapi.api.resources;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "api.resources")
public interface ResourcesConfig {

    /** Page size when the caller gives none. */
    @WithDefault("20")
    int defaultLimit();

    /** Largest page a caller may ask for. */
    @WithDefault("100")
    int maxLimit();

    /** Upper bound for a read from PostgreSQL before the read is answered from a stale copy or with 503. */
    @WithDefault("3s")
    Duration readTimeout();
}
