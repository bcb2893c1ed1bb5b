package dev.scalableapi.api.cache;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** This replica's cache figures, for the admin API (the gateway merges replicas). */
@RegisterForReflection
public record CacheStats(String instanceId, Level l1, Level l2, long loads, long l2Errors, long invalidations,
        long invalidationAckTimeouts, long staleServed, boolean invalidationsSubscribed) {

    @RegisterForReflection
    public record Level(long hits, long misses, double hitRate, Long size, Long evictions) {

        static Level of(long hits, long misses, Long size, Long evictions) {
            long total = hits + misses;
            return new Level(hits, misses, total == 0 ? 0.0 : (double) hits / total, size, evictions);
        }
    }

    record Counts(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long loads, long l2Errors,
            long invalidations, long ackTimeouts, long staleServed) {
    }
}
