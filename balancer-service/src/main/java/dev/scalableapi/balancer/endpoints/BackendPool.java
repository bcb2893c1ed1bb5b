package dev.scalableapi.balancer.endpoints;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The current set of backends, replaced as discovery reports changes. A backend that stays keeps its state
 * (in-flight, ejection, health); one that goes is dropped at once, and requests already on it finish.
 */
@ApplicationScoped
public class BackendPool {

    private static final Logger LOG = Logger.getLogger(BackendPool.class);

    private volatile List<Backend> backends = List.of();
    private volatile boolean initialised;
    private final List<Consumer<Backend>> onAdded = new CopyOnWriteArrayList<>();
    private final List<Consumer<Backend>> onRemoved = new CopyOnWriteArrayList<>();

    public List<Backend> all() {
        return backends;
    }

    /** True once discovery delivered its first list (readiness). */
    public boolean initialised() {
        return initialised;
    }

    /** Also tells {@code listener} of every current backend, under the lock so no concurrent change slips between. */
    public synchronized void onAdded(Consumer<Backend> listener) {
        onAdded.add(listener);
        backends.forEach(listener);
    }

    public void onRemoved(Consumer<Backend> listener) {
        onRemoved.add(listener);
    }

    public synchronized void replace(Collection<BackendAddress> addresses) {
        Map<String, Backend> current = new LinkedHashMap<>();
        backends.forEach(b -> current.put(b.id(), b));
        List<Backend> next = new ArrayList<>();
        List<Backend> added = new ArrayList<>();
        for (BackendAddress address : addresses) {
            Backend existing = current.remove(address.id());
            if (existing != null && existing.weight() == address.weight()) {
                next.add(existing);
            } else {
                Backend fresh = new Backend(address);
                next.add(fresh);
                added.add(fresh);
                if (existing != null) {
                    current.put(existing.id(), existing); // re-weighted: the old one goes, a fresh one comes
                }
            }
        }
        backends = List.copyOf(next);
        initialised = true;
        for (Backend gone : current.values()) {
            LOG.infof("Backend %s removed", gone.id());
            onRemoved.forEach(l -> l.accept(gone));
        }
        for (Backend fresh : added) {
            LOG.infof("Backend %s added (weight %d)", fresh.id(), fresh.weight());
            onAdded.forEach(l -> l.accept(fresh));
        }
    }
}
