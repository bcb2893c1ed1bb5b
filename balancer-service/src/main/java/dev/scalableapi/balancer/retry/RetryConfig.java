package dev.scalableapi.balancer.retry;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/** Retries on another backend, bounded by a budget (Envoy's defaults: 20 % of active requests, at least 3). */
@ConfigMapping(prefix = "balancer.retry")
public interface RetryConfig {

    /** Methods safe to send twice. */
    @WithDefault("GET,HEAD,OPTIONS,PUT,DELETE")
    Set<String> idempotentMethods();

    /** Backend statuses that are retried (for idempotent methods). */
    @WithDefault("502,503")
    Set<Integer> retriableStatuses();

    /** Further attempts after the first. */
    @WithDefault("1")
    int maxRetries();

    /** Retries in flight may be at most this percent of active requests… */
    @WithDefault("20")
    int budgetPercent();

    /** …but this many are always allowed. */
    @WithDefault("3")
    int minConcurrentRetries();

    /** Full-jitter back-off: a random delay in [0, min(cap, base × 2^attempt)). */
    @WithDefault("25ms")
    Duration backoffBase();

    @WithDefault("250ms")
    Duration backoffMax();

    /** Idempotent requests with a declared body up to this size are buffered so they can be re-sent. */
    @WithDefault("1M")
    MemorySize maxReplayableBody();

    /** All buffered bodies together; a body that would not fit streams instead (and is not replayed). */
    @WithDefault("32M")
    MemorySize maxReplayBuffers();
}
