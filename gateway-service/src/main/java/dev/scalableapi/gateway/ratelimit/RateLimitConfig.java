package dev.scalableapi.gateway.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The rate limiter's knobs. The Redis connection itself is Quarkus' named client {@code ratelimit}
 * ({@code quarkus.redis.ratelimit.hosts}, {@code quarkus.redis.ratelimit.client-type=standalone|cluster}).
 */
@ConfigMapping(prefix = "gateway.ratelimit")
public interface RateLimitConfig {

    /** Off: every request passes without a decision or headers. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Each tier's minute policy (named after the tier): requests per window; unset ones use
     * {@link dev.scalableapi.common.tiers.Tier}'s defaults.
     */
    Tiers tiers();

    /**
     * Each tier's further policies, beside its minute policy: comma-separated {@code [name:]window:limit}, e.g.
     * {@code burst:second:50,monthly:month:100000} (without a name, the window's default: burst, per-minute,
     * hourly, daily, monthly).
     */
    Policies policies();

    /**
     * Length of the minute policies' sliding window (the tiers' numbers are "per window"; the brief's is one
     * minute). Defaults to {@code RATE_LIMIT_WINDOW_MS}, else 60 s (application.properties).
     */
    Duration window();

    /** Sub-buckets per minute window: the window slides in steps of window / buckets. */
    @WithDefault("60")
    int buckets();

    /** Prepended to every Redis key ({@code <prefix>{rl:<subject>}}). */
    String keyPrefix();

    /** Longest a decision waits for Redis before it counts as a failure and falls back. */
    Duration redisTimeout();

    /** What to do while Redis cannot answer. */
    FailureMode failureMode();

    Breaker breaker();

    /**
     * Tests only: decisions take their time from {@link RateLimitClock} (passed to the Redis script) instead of
     * Redis' {@code TIME}, so a test can stand at the end of a month.
     */
    @WithDefault("false")
    boolean testClock();

    LocalFallback localFallback();

    interface Tiers {
        Optional<Integer> anonymous();

        Optional<Integer> free();

        Optional<Integer> pro();

        Optional<Integer> enterprise();
    }

    interface Policies {
        Optional<String> anonymous();

        Optional<String> free();

        Optional<String> pro();

        Optional<String> enterprise();
    }

    interface Breaker {
        /** Consecutive failed Redis calls that open the breaker. */
        @WithDefault("3")
        int failureThreshold();

        /** How long the breaker stays open before one trial call goes to Redis. */
        @WithDefault("1s")
        Duration openDuration();
    }

    interface LocalFallback {
        /**
         * The per-replica limit in fallback is the tier's limit divided by the gateways alive at the last heartbeat
         * seen (rounded up); by this until a replica has seen one (set it to the fleet's minimum size).
         */
        @WithDefault("1")
        int expectedReplicas();

        /** Subjects the in-memory limiter tracks at most (least recently seen dropped first). */
        @WithDefault("100000")
        long maxSubjects();
    }

    enum FailureMode {
        /** A per-replica in-memory sliding window with the same limits. */
        LOCAL_FALLBACK,
        /** Admit everything, count nothing. */
        FAIL_OPEN,
        /** Refuse everything with 503 SERVICE_UNAVAILABLE and Retry-After. */
        FAIL_CLOSED
    }
}
