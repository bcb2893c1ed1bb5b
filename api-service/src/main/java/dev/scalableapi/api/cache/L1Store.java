package dev.scalableapi.api.cache;

import dev.scalableapi.api.resources.view.ResourceView;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The in-process level: fresh copies (L1, short TTL) and, behind them, the last copy this replica served of each
 * resource, kept as long as L2's stale copies. The last copies answer reads only while PostgreSQL is unreachable
 * and L2 cannot help (Redis down, its breaker open, or the entry gone after a Redis restart). Every eviction — a
 * write here, an invalidation from another replica, a clear — drops both, so a last copy is never older than the
 * newest write this replica heard of.
 */
@ApplicationScoped
public class L1Store {

    public static final String FRESH = "resources";
    public static final String LAST_KNOWN = "resources-last-known";

    private final Cache fresh;
    private final Cache lastKnown;

    L1Store(@CacheName(FRESH) Cache fresh, @CacheName(LAST_KNOWN) Cache lastKnown) {
        this.fresh = fresh;
        this.lastKnown = lastKnown;
    }

    /** The fresh copy of {@code id} if it is loaded already, else null. */
    CacheLookup freshIfPresent(long id) {
        CompletableFuture<CacheLookup> cached = fresh.as(CaffeineCache.class).getIfPresent(id);
        return cached != null && cached.isDone() && !cached.isCompletedExceptionally() ? cached.join() : null;
    }

    /** The fresh copy of {@code id}, loading it once for all concurrent callers; what is loaded is remembered. */
    Uni<CacheLookup> getOrLoad(long id, Function<Long, Uni<CacheLookup>> load) {
        return fresh.<Long, CacheLookup>getAsync(id, key -> load.apply(key).invoke(found -> remember(id, found.view())));
    }

    /** The last copy of {@code id} this replica served, however old, or null. */
    ResourceView lastKnown(long id) {
        CompletableFuture<ResourceView> copy = lastKnown.as(CaffeineCache.class).getIfPresent(id);
        return copy != null && copy.isDone() && !copy.isCompletedExceptionally() ? copy.join() : null;
    }

    Uni<Void> invalidate(long id) {
        return fresh.invalidate(id).call(() -> lastKnown.invalidate(id));
    }

    Uni<Void> invalidateAll() {
        return fresh.invalidateAll().call(lastKnown::invalidateAll);
    }

    long freshSize() {
        return fresh.as(CaffeineCache.class).keySet().size();
    }

    private void remember(long id, ResourceView view) {
        if (fresh.as(CaffeineCache.class).getIfPresent(id) == null) {
            return; // evicted while loading: the load may predate a write, so it must not outlive the eviction
        }
        ResourceView known = lastKnown(id);
        if (known == null || known.version() <= view.version()) {
            lastKnown.as(CaffeineCache.class).put(id, CompletableFuture.completedFuture(view));
        }
    }
}
