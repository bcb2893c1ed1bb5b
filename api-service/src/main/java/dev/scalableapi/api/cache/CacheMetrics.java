package dev.scalableapi.api.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Cache counters, exported as {@code api_cache_lookups_total{level,result}}, {@code api_cache_loads_total},
 * {@code api_cache_l2_errors_total}, {@code api_cache_invalidations_total{origin}},
 * {@code api_cache_invalidation_ack_timeouts_total} and {@code api_cache_stale_served_total}; L1 size and
 * evictions come from quarkus-cache as {@code cache_size{cache="resources"}} and {@code cache_evictions_total}.
 *
 * <p>Created at startup, so a fresh replica exports every counter at 0 instead of none until its first lookup.
 */
@Startup
@ApplicationScoped
public class CacheMetrics {

    private final Counter l1Hits;
    private final Counter l1Misses;
    private final Counter l2Hits;
    private final Counter l2Misses;
    private final Counter loads;
    private final Counter l2Errors;
    private final Counter localInvalidations;
    private final Counter remoteInvalidations;
    private final Counter ackTimeouts;
    private final Counter staleServed;

    CacheMetrics(MeterRegistry registry) {
        l1Hits = lookup(registry, "l1", "hit");
        l1Misses = lookup(registry, "l1", "miss");
        l2Hits = lookup(registry, "l2", "hit");
        l2Misses = lookup(registry, "l2", "miss");
        loads = Counter.builder("api.cache.loads").description("Loads from PostgreSQL on a cache miss")
                .register(registry);
        l2Errors = Counter.builder("api.cache.l2.errors").description("Redis cache commands that failed or timed out")
                .register(registry);
        localInvalidations = Counter.builder("api.cache.invalidations").tag("origin", "local").register(registry);
        remoteInvalidations = Counter.builder("api.cache.invalidations").tag("origin", "remote").register(registry);
        ackTimeouts = Counter.builder("api.cache.invalidation.ack.timeouts")
                .description("Writes that answered before every replica confirmed its L1 eviction")
                .register(registry);
        staleServed = Counter.builder("api.cache.stale.served")
                .description("Reads answered from a stale L2 copy while PostgreSQL was unavailable")
                .register(registry);
    }

    private static Counter lookup(MeterRegistry registry, String level, String result) {
        return Counter.builder("api.cache.lookups").tag("level", level).tag("result", result)
                .description("Cache lookups by level and result").register(registry);
    }

    void l1Hit() {
        l1Hits.increment();
    }

    void l1Miss() {
        l1Misses.increment();
    }

    void l2Hit() {
        l2Hits.increment();
    }

    void l2Miss() {
        l2Misses.increment();
    }

    void load() {
        loads.increment();
    }

    void l2Error() {
        l2Errors.increment();
    }

    void invalidation(boolean remote) {
        (remote ? remoteInvalidations : localInvalidations).increment();
    }

    void ackTimeout() {
        ackTimeouts.increment();
    }

    void staleServed() {
        staleServed.increment();
    }

    CacheStats.Counts counts() {
        return new CacheStats.Counts((long) l1Hits.count(), (long) l1Misses.count(), (long) l2Hits.count(),
                (long) l2Misses.count(), (long) loads.count(), (long) l2Errors.count(),
                (long) (localInvalidations.count() + remoteInvalidations.count()), (long) ackTimeouts.count(),
                (long) staleServed.count());
    }
}
