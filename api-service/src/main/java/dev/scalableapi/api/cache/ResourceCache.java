package dev.scalableapi.api.cache;

import dev.scalableapi.api.instance.InstanceConfig;
import dev.scalableapi.api.persistence.DatabaseFailures;
import dev.scalableapi.api.resources.view.ResourceView;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Two-level read-through cache for single resources: L1 in-process ({@link L1Store}: bounded, short TTL), then
 * L2 in Redis, then PostgreSQL. Concurrent misses for one id share one load (Caffeine keeps one
 * in-flight future per key). Writes go through {@link #afterUpdate} / {@link #afterDelete}, which update L2 and
 * evict L1 on every replica before the write answers.
 */
@ApplicationScoped
public class ResourceCache {

    private final L1Store l1;
    private final L2Store l2;
    private final CacheInvalidationBus bus;
    private final CacheMetrics metrics;
    private final MeterRegistry registry;
    private final String instanceId;

    ResourceCache(L1Store l1, L2Store l2, CacheInvalidationBus bus, CacheMetrics metrics,
            MeterRegistry registry, InstanceConfig instance) {
        this.l1 = l1;
        this.l2 = l2;
        this.bus = bus;
        this.metrics = metrics;
        this.registry = registry;
        this.instanceId = instance.id();
    }

    /**
     * The resource {@code id}, from the nearest level that has it fresh; {@code load} reads PostgreSQL and
     * yields null for an unknown id (→ 404, never cached). When PostgreSQL is unreachable a stale copy is served as
     * {@link CacheStatus#STALE} — L2's, else this replica's last one; without either the read fails with 503.
     */
    public Uni<CacheLookup> get(long id, LongFunction<Uni<ResourceView>> load) {
        CacheLookup cached = l1.freshIfPresent(id);
        if (cached != null) {
            metrics.l1Hit();
            return Uni.createFrom().item(new CacheLookup(cached.view(), CacheStatus.HIT_L1));
        }
        metrics.l1Miss();
        return l1.getOrLoad(id, key -> loadThroughL2(key, load))
                .onFailure(DatabaseFailures::isUnavailable).recoverWithUni(failure -> staleCopy(id, failure));
    }

    /** Publishes an updated resource: newest version into L2, then L1 evicted everywhere. */
    public Uni<Void> afterUpdate(ResourceView updated) {
        return l2.publishWrite(updated)
                .flatMap(v -> l1.invalidate(updated.id()))
                .invoke(() -> metrics.invalidation(false))
                .flatMap(v -> bus.invalidate(updated.id()));
    }

    /** Tombstones a deleted resource in L2 and evicts it from L1 everywhere. */
    public Uni<Void> afterDelete(long id) {
        return l2.tombstone(id)
                .flatMap(v -> l1.invalidate(id))
                .invoke(() -> metrics.invalidation(false))
                .flatMap(v -> bus.invalidate(id));
    }

    /** Empties L2 and every replica's L1; the number of L2 entries removed. Fails with 503 if Redis is down. */
    public Uni<Long> clear() {
        return l2.clear()
                .onFailure().transform(failure -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Redis unavailable; L2 not cleared", Map.of(), 5L))
                .call(l1::invalidateAll)
                .call(bus::clearAll);
    }

    public CacheStats stats() {
        CacheStats.Counts counts = metrics.counts();
        FunctionCounter evictions = registry.find("cache.evictions").tag("cache", L1Store.FRESH).functionCounter();
        long size = l1.freshSize();
        return new CacheStats(instanceId,
                CacheStats.Level.of(counts.l1Hits(), counts.l1Misses(), size,
                        evictions == null ? null : (long) evictions.count()),
                CacheStats.Level.of(counts.l2Hits(), counts.l2Misses(), null, null),
                counts.loads(), counts.l2Errors(), counts.invalidations(), counts.ackTimeouts(),
                counts.staleServed(), bus.isSubscribed());
    }

    private Uni<CacheLookup> loadThroughL2(long id, LongFunction<Uni<ResourceView>> load) {
        long now = System.currentTimeMillis();
        return l2.get(id).flatMap(entry -> {
            if (entry != null && entry.isFresh(now)) {
                metrics.l2Hit();
                return Uni.createFrom().item(new CacheLookup(entry.view(), CacheStatus.HIT_L2));
            }
            metrics.l2Miss();
            metrics.load();
            return load.apply(id).flatMap(view -> {
                if (view == null) {
                    return Uni.createFrom().failure(ApiException.notFound("Resource " + id));
                }
                return l2.putIfNewer(view).replaceWith(new CacheLookup(view, CacheStatus.MISS));
            });
        });
    }

    private Uni<CacheLookup> staleCopy(long id, Throwable dbFailure) {
        return l2.get(id).flatMap(entry -> {
            if (entry != null && entry.tombstone()) {
                return Uni.createFrom().failure(DatabaseFailures.translate(dbFailure));
            }
            ResourceView copy = newer(entry == null ? null : entry.view(), l1.lastKnown(id));
            if (copy == null) {
                return Uni.createFrom().failure(DatabaseFailures.translate(dbFailure));
            }
            metrics.staleServed();
            return Uni.createFrom().item(new CacheLookup(copy, CacheStatus.STALE));
        });
    }

    private static ResourceView newer(ResourceView a, ResourceView b) {
        return a == null || (b != null && b.version() > a.version()) ? b : a;
    }
}
