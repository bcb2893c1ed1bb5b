package dev.scalableapi.balancer.outlier;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A circuit breaker per backend, fed by every proxied attempt: after N consecutive failures the backend is
 * ejected (OPEN) for base × n, where n grows with repeated ejections; when the time is up it is HALF_OPEN and
 * takes one trial request at a time — a success closes it, a failure ejects it again for longer. Never more
 * than the configured share of backends is ejected at once.
 */
@ApplicationScoped
public class OutlierDetector {

    private static final Logger LOG = Logger.getLogger(OutlierDetector.class);

    /** What an attempt on a backend came to. */
    public enum Outcome {
        SUCCESS, SERVER_ERROR, GATEWAY_FAILURE,
        /** The client went away and the balancer abandoned the attempt: no verdict on the backend. */
        CANCELLED
    }

    private final OutlierConfig config;
    private final BackendPool pool;
    private final MeterRegistry registry;

    OutlierDetector(OutlierConfig config, BackendPool pool, MeterRegistry registry) {
        this.config = config;
        this.pool = pool;
        this.registry = registry;
    }

    /** Whether {@code backend} may be picked now; moves an OPEN backend whose time is up to HALF_OPEN. */
    public boolean admits(Backend backend, long nowMillis) {
        switch (backend.ejection()) {
            case CLOSED:
                return true;
            case OPEN:
                if (nowMillis < backend.ejectedUntilMillis()) {
                    return false;
                }
                backend.halfOpen();
                return backend.trialsInFlight().get() == 0;
            default:
                return backend.trialsInFlight().get() == 0;
        }
    }

    /** Claims the pick; for a half-open backend this takes its single trial slot, which may already be gone. */
    public boolean acquire(Backend backend) {
        if (backend.ejection() == Backend.Ejection.CLOSED) {
            return true;
        }
        return backend.trialsInFlight().compareAndSet(0, 1);
    }

    public void record(Backend backend, Outcome outcome) {
        long now = System.currentTimeMillis();
        boolean trial = backend.ejection() == Backend.Ejection.HALF_OPEN;
        if (trial) {
            backend.trialsInFlight().set(0);
        }
        if (outcome == Outcome.CANCELLED) {
            return; // a half-open backend just gets its trial slot back for the next request
        }
        if (outcome == Outcome.SUCCESS) {
            backend.consecutiveFailures().set(0);
            if (trial) {
                backend.close(now);
                LOG.infof("Backend %s readmitted after a successful trial request", backend.id());
            }
            return;
        }
        int failures = backend.consecutiveFailures().incrementAndGet();
        if (trial || (backend.ejection() == Backend.Ejection.CLOSED && failures >= config.consecutiveFailures())) {
            eject(backend, now, failures);
        }
    }

    private synchronized void eject(Backend backend, long now, int failures) {
        if (backend.ejection() == Backend.Ejection.OPEN) {
            return;
        }
        boolean trial = backend.ejection() == Backend.Ejection.HALF_OPEN;
        if (!trial) {
            // Only ejections still running count. A backend whose time is up stays OPEN until it is next
            // considered for a pick, which never happens while it fails health checks: counting it kept a dead
            // backend holding the only ejection slot forever, so a failing one could no longer be ejected.
            long ejected = pool.all().stream()
                    .filter(b -> b.ejection() == Backend.Ejection.OPEN && now < b.ejectedUntilMillis()).count();
            long allowed = Math.max(1, pool.all().size() * config.maxEjectionPercent() / 100);
            if (ejected >= allowed) {
                return;
            }
        }
        // Ejections in a row lengthen; a backend that stayed healthy for the longest ejection starts over.
        if (!trial && now - backend.lastEjectionEndedMillis() > config.maxEjectionTime().toMillis()) {
            backend.ejectionMultiplier().set(0);
        }
        int multiplier = backend.ejectionMultiplier().incrementAndGet();
        long duration = Math.min(config.baseEjectionTime().toMillis() * multiplier,
                config.maxEjectionTime().toMillis());
        backend.consecutiveFailures().set(0);
        backend.eject(now + duration);
        Counter.builder("balancer.backend.ejections").tag("backend", backend.id()).register(registry).increment();
        LOG.warnf("Backend %s ejected for %d ms after %d consecutive failures%s", backend.id(), duration, failures,
                trial ? " (trial request failed)" : "");
    }
}
