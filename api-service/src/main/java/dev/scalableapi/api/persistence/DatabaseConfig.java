package dev.scalableapi.api.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the replica learns that PostgreSQL is unreachable, and again reachable. */
@ConfigMapping(prefix = "api.database")
public interface DatabaseConfig {

    /** How often PostgreSQL is probed ({@code select 1}), whatever its state. */
    @WithDefault("1s")
    Duration probeInterval();

    /** A probe that takes longer fails. */
    @WithDefault("1s")
    Duration probeTimeout();
}
