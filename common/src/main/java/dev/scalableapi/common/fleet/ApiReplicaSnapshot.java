package dev.scalableapi.common.fleet;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What one api replica publishes each interval: its cache lookups during the interval and the state of its
 * breakers at the end of it.
 *
 * @param l1Hits     lookups answered from the replica's memory
 * @param l2Hits     L1 misses answered from Redis
 * @param misses     lookups that went to PostgreSQL
 * @param l1Size     entries in L1 at the end of the interval
 * @param l2Healthy  false while the replica's Redis breaker is open
 */
@RegisterForReflection
public record ApiReplicaSnapshot(String instance, long seq, long intervalStart, long intervalSeconds, long l1Hits,
        long l2Hits, long misses, long l1Size, boolean l2Healthy, List<Breaker> breakers) {

    @RegisterForReflection
    public record Breaker(String name, String state, long failures, long transitions, String lastTransitionAt) {
    }
}
