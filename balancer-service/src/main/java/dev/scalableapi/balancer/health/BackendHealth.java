package dev.scalableapi.balancer.health;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.endpoints.PerBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Each backend's health verdict from the active checks: N failed checks in a row mark it unhealthy, M passed
 * checks in a row healthy again. A backend starts healthy. Only the checker's results change it.
 */
@ApplicationScoped
public class BackendHealth {

    private static final Logger LOG = Logger.getLogger(BackendHealth.class);

    private static final class State {
        volatile boolean healthy = true;
        volatile boolean degraded;
        volatile String lastError;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger successes = new AtomicInteger();
    }

    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private final PerBackend<State> states;

    @Inject
    BackendHealth(BackendPool pool, HealthCheckConfig config) {
        this(pool, config.unhealthyThreshold(), config.healthyThreshold());
    }

    public BackendHealth(BackendPool pool, int unhealthyThreshold, int healthyThreshold) {
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
        this.states = new PerBackend<>(pool, State::new);
    }

    public boolean healthy(Backend backend) {
        return states.of(backend).healthy;
    }

    /**
     * Whether its last passed check said it serves without a dependency (PostgreSQL): in rotation, answering what
     * it can.
     */
    public boolean degraded(Backend backend) {
        return states.of(backend).degraded;
    }

    /** Why the last check that marked it unhealthy failed; null once it is healthy again. */
    public String lastError(Backend backend) {
        return states.of(backend).lastError;
    }

    public void passed(Backend backend, boolean degraded) {
        State state = states.of(backend);
        if (state.degraded != degraded) {
            state.degraded = degraded;
            if (degraded) {
                LOG.warnf("Backend %s is degraded: it serves without a dependency", backend.id());
            } else {
                LOG.infof("Backend %s is no longer degraded", backend.id());
            }
        }
        state.failures.set(0);
        int successes = state.successes.incrementAndGet();
        if (!state.healthy && successes >= healthyThreshold) {
            state.healthy = true;
            state.lastError = null;
            LOG.infof("Backend %s is healthy again", backend.id());
        }
    }

    public void failed(Backend backend, String why) {
        State state = states.of(backend);
        state.successes.set(0);
        int failures = state.failures.incrementAndGet();
        if (state.healthy && failures >= unhealthyThreshold) {
            state.healthy = false;
            state.lastError = why;
            LOG.warnf("Backend %s is unhealthy: %s", backend.id(), why);
        }
    }
}
