package dev.scalableapi.balancer.endpoints;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The state one unit (health checks, outlier detection) keeps for each backend, held for as long as the pool holds
 * that backend, so that the unit alone changes it and a removed backend leaves nothing behind.
 */
public final class PerBackend<S> {

    private final Map<Backend, S> states = new ConcurrentHashMap<>();
    private final Supplier<S> initial;

    public PerBackend(BackendPool pool, Supplier<S> initial) {
        this.initial = initial;
        // Removal first: a backend dropped while this registers must not stay behind.
        pool.onRemoved(states::remove);
        pool.onAdded(backend -> states.putIfAbsent(backend, initial.get()));
    }

    /**
     * The backend's state. One the pool is still announcing or has already dropped gets a fresh state that is not
     * kept: a request racing a discovery change sees a new backend's defaults, and what a removed one does no
     * longer matters.
     */
    public S of(Backend backend) {
        S state = states.get(backend);
        return state != null ? state : initial.get();
    }
}
