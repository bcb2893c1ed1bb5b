package dev.scalableapi.balancer.endpoints;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one upstream host: load (in-flight, totals, latency EWMA), the active health checker's
 * verdict, and the outlier detector's ejection state. Each of those units updates only its own part.
 */
public final class Backend {

    /** Outlier state, a per-backend circuit breaker. */
    public enum Ejection { CLOSED, OPEN, HALF_OPEN }

    private static final double EWMA_WEIGHT = 0.2;

    private final BackendAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile double latencyEwmaMillis;

    // Active health (written by the health checker only).
    private volatile boolean healthy = true;
    private volatile String lastHealthError;
    private final AtomicInteger healthFailures = new AtomicInteger();
    private final AtomicInteger healthSuccesses = new AtomicInteger();

    // Outlier ejection (written by the outlier detector only).
    private volatile Ejection ejection = Ejection.CLOSED;
    private volatile long ejectedUntilMillis;
    private volatile long lastEjectionEndedMillis;
    private final AtomicInteger ejections = new AtomicInteger();
    private final AtomicInteger ejectionMultiplier = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger trialsInFlight = new AtomicInteger();

    public Backend(BackendAddress address) {
        this.address = address;
    }

    public BackendAddress address() {
        return address;
    }

    public String id() {
        return address.id();
    }

    public int weight() {
        return address.weight();
    }

    // --- load

    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
        requests.increment();
    }

    public void requestFinished(long latencyNanos, boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            failures.increment();
        }
        double millis = latencyNanos / 1e6;
        synchronized (this) {
            latencyEwmaMillis = latencyEwmaMillis == 0 ? millis
                    : latencyEwmaMillis + EWMA_WEIGHT * (millis - latencyEwmaMillis);
        }
    }

    public long requests() {
        return requests.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public double latencyEwmaMillis() {
        return latencyEwmaMillis;
    }

    // --- active health

    public boolean healthy() {
        return healthy;
    }

    public String lastHealthError() {
        return lastHealthError;
    }

    public AtomicInteger healthFailures() {
        return healthFailures;
    }

    public AtomicInteger healthSuccesses() {
        return healthSuccesses;
    }

    public void markHealthy(boolean healthy, String error) {
        this.healthy = healthy;
        this.lastHealthError = error;
    }

    // --- outlier ejection

    public Ejection ejection() {
        return ejection;
    }

    public long ejectedUntilMillis() {
        return ejectedUntilMillis;
    }

    public long lastEjectionEndedMillis() {
        return lastEjectionEndedMillis;
    }

    public int ejections() {
        return ejections.get();
    }

    public AtomicInteger ejectionMultiplier() {
        return ejectionMultiplier;
    }

    public AtomicInteger consecutiveFailures() {
        return consecutiveFailures;
    }

    public AtomicInteger trialsInFlight() {
        return trialsInFlight;
    }

    public void eject(long untilMillis) {
        ejection = Ejection.OPEN;
        ejectedUntilMillis = untilMillis;
        ejections.incrementAndGet();
    }

    public void halfOpen() {
        ejection = Ejection.HALF_OPEN;
    }

    public void close(long nowMillis) {
        ejection = Ejection.CLOSED;
        ejectedUntilMillis = 0;
        lastEjectionEndedMillis = nowMillis;
    }
}
