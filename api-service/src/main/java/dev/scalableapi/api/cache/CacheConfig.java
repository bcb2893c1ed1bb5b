package dev.scalableapi.api.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * L2 (Redis) and cross-replica invalidation settings; L1 size and TTL are quarkus-cache's own keys.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "api.cache")
public interface CacheConfig {

    /** How long an L2 entry is served as fresh ({@code CACHE_TTL}, seconds). */
    long l2TtlSeconds();

    /** How long an L2 entry is kept as a stale copy to answer reads while PostgreSQL is down. */
    @WithDefault("3600")
    long staleTtlSeconds();

    /** Redis key prefix for cached resources. */
    @WithDefault("scalable-api:resource:")
    String keyPrefix();

    /** Pub/sub channel carrying L1 invalidations between replicas; acks go to {@code <channel>:acks:<instance>}. */
    @WithDefault("scalable-api:cache-invalidations")
    String channel();

    /** How long a write waits for every replica to confirm its L1 eviction before answering anyway. */
    @WithDefault("500ms")
    Duration invalidationAckTimeout();

    /** Delay between attempts to re-subscribe after the pub/sub connection is lost. */
    @WithDefault("1s")
    Duration resubscribeDelay();
}
