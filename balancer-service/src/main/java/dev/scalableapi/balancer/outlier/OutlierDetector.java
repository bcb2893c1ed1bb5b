package dev.scalableapi.balancer.outlier;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.endpoints.PerBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A circuit breaker per backend, fed by every proxied attempt: after N consecutive failures the backend is
 * ejected (OPEN) for base × n, where n grows with repeated ejections; when the time is up it is HALF_OPEN and
 * takes one trial request at a time — a success closes it, a failure ejects it again for longer. Never more
 * than the configured share of backends is ejected at once. The breakers' state is this unit's alone.
 */
@ApplicationScoped
public class OutlierDetector {

    private static final Logger LOG = Logger.getLogger(OutlierDetector.class);

    /** What an attempt on a backend came to. */
    public enum Outcome {
        SUCCESS, SERVER_ERROR, GATEWAY_FAILURE,
        /** The client went away and the balancer abandoned the attempt: no verdict on the backend. */
        CANCELLED,
        /** A 5xx marked as a shared dependency's failure (PostgreSQL down on every replica): no verdict either. */
        DEPENDENCY_DOWN;

        boolean judgesTheBackend() {
            return this != CANCELLED && this != DEPENDENCY_DOWN;
        }
    }

    /** One backend's breaker as the status page shows it; {@code ejectedUntilMillis} is 0 unless ejected. */
    public record Status(Ejection ejection, int consecutiveFailures, int ejections, long ejectedUntilMillis) {
    }

    private static final class Breaker {
        volatile Ejection ejection = Ejection.CLOSED;
        volatile long ejectedUntilMillis;
        volatile long lastEjectionEndedMillis;
        final AtomicInteger ejections = new AtomicInteger();
        final AtomicInteger ejectionMultiplier = new AtomicInteger();
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        final AtomicInteger trialsInFlight = new AtomicInteger();
    }

    private final OutlierConfig config;
    private final BackendPool pool;
    private final MeterRegistry registry;
    private final LongSupplier clockMillis;
    private final PerBackend<Breaker> breakers;

    @Inject
    OutlierDetector(OutlierConfig config, BackendPool pool, MeterRegistry registry) {
        this(config, pool, registry, System::currentTimeMillis);
    }

    public OutlierDetector(OutlierConfig config, BackendPool pool, MeterRegistry registry, LongSupplier clockMillis) {
        this.config = config;
        this.pool = pool;
        this.registry = registry;
        this.clockMillis = clockMillis;
        this.breakers = new PerBackend<>(pool, Breaker::new);
    }

    public Ejection ejection(Backend backend) {
        return breakers.of(backend).ejection;
    }

    public Status status(Backend backend) {
        Breaker breaker = breakers.of(backend);
        return new Status(breaker.ejection, breaker.consecutiveFailures.get(), breaker.ejections.get(),
                breaker.ejectedUntilMillis);
    }

    /** Whether {@code backend} may be picked now; moves an OPEN backend whose time is up to HALF_OPEN. */
    public boolean admits(Backend backend) {
        Breaker breaker = breakers.of(backend);
        switch (breaker.ejection) {
            case CLOSED:
                return true;
            case OPEN:
                if (clockMillis.getAsLong() < breaker.ejectedUntilMillis) {
                    return false;
                }
                breaker.ejection = Ejection.HALF_OPEN;
                return breaker.trialsInFlight.get() == 0;
            default:
                return breaker.trialsInFlight.get() == 0;
        }
    }

    /**
     * Claims the pick; for a half-open backend this takes its single trial slot, which may already be gone. Past
     * the closed case, under the same lock as the outcomes of an ejected backend: a slot taken while a late failure
     * re-ejected the backend would be answered with the backend OPEN, not returned, and leave it half-open for
     * good (seen in a test: HALF_OPEN, nothing in flight, no trial ever again).
     */
    public boolean acquire(Backend backend) {
        Breaker breaker = breakers.of(backend);
        if (breaker.ejection == Ejection.CLOSED) {
            return true;
        }
        return takeTrialSlot(breaker);
    }

    private synchronized boolean takeTrialSlot(Breaker breaker) {
        return breaker.ejection == Ejection.HALF_OPEN && breaker.trialsInFlight.compareAndSet(0, 1);
    }

    public void record(Backend backend, Outcome outcome) {
        Breaker breaker = breakers.of(backend);
        if (breaker.ejection == Ejection.CLOSED) {
            recordWhileClosed(backend, breaker, outcome);
        } else {
            recordWhileEjected(backend, breaker, outcome);
        }
    }

    private void recordWhileClosed(Backend backend, Breaker breaker, Outcome outcome) {
        if (!outcome.judgesTheBackend()) {
            return;
        }
        if (outcome == Outcome.SUCCESS) {
            breaker.consecutiveFailures.set(0);
            return;
        }
        int failures = breaker.consecutiveFailures.incrementAndGet();
        if (failures >= config.consecutiveFailures()) {
            eject(backend, breaker, clockMillis.getAsLong(), failures);
        }
    }

    /** The outcome of a trial, or of a request sent before the ejection and answered during it. */
    private synchronized void recordWhileEjected(Backend backend, Breaker breaker, Outcome outcome) {
        long now = clockMillis.getAsLong();
        boolean trial = breaker.ejection == Ejection.HALF_OPEN;
        if (trial) {
            breaker.trialsInFlight.set(0);
        }
        if (!outcome.judgesTheBackend()) {
            return; // a half-open backend just gets its trial slot back for the next request
        }
        if (outcome == Outcome.SUCCESS) {
            breaker.consecutiveFailures.set(0);
            if (trial) {
                breaker.ejection = Ejection.CLOSED;
                breaker.ejectedUntilMillis = 0;
                breaker.lastEjectionEndedMillis = now;
                LOG.infof("Backend %s readmitted after a successful trial request", backend.id());
            }
            return;
        }
        int failures = breaker.consecutiveFailures.incrementAndGet();
        if (trial) {
            eject(backend, breaker, now, failures);
        }
    }

    private synchronized void eject(Backend backend, Breaker breaker, long now, int failures) {
        if (breaker.ejection == Ejection.OPEN) {
            return;
        }
        boolean trial = breaker.ejection == Ejection.HALF_OPEN;
        if (!trial) {
            // Only ejections still running count. A backend whose time is up stays OPEN until it is next
            // considered for a pick, which never happens while it fails health checks: counting it kept a dead
            // backend holding the only ejection slot forever, so a failing one could no longer be ejected.
            long ejected = pool.all().stream().map(breakers::of)
                    .filter(b -> b.ejection == Ejection.OPEN && now < b.ejectedUntilMillis).count();
            long allowed = Math.max(1, pool.all().size() * config.maxEjectionPercent() / 100);
            if (ejected >= allowed) {
                return;
            }
        }
        // Ejections in a row lengthen; a backend that stayed healthy for the longest ejection starts over.
        if (!trial && now - breaker.lastEjectionEndedMillis > config.maxEjectionTime().toMillis()) {
            breaker.ejectionMultiplier.set(0);
        }
        int multiplier = breaker.ejectionMultiplier.incrementAndGet();
        long duration = Math.min(config.baseEjectionTime().toMillis() * multiplier,
                config.maxEjectionTime().toMillis());
        breaker.consecutiveFailures.set(0);
        breaker.ejectedUntilMillis = now + duration; // before OPEN, so no pick sees OPEN with an old end time
        breaker.ejection = Ejection.OPEN;
        breaker.ejections.incrementAndGet();
        Counter.builder("balancer.backend.ejections").tag("backend", backend.id()).register(registry).increment();
        LOG.warnf("Backend %s ejected for %d ms after %d consecutive failures%s", backend.id(), duration, failures,
                trial ? " (trial request failed)" : "");
    }
}
