package dev.scalableapi.balancer.endpoints;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream host and its load: in-flight requests, totals and a latency EWMA. Its health and ejection state
 * belong to the units that decide them ({@code health/}, {@code outlier/}), keyed by this object.
 */
public final class Backend {

    private static final double EWMA_WEIGHT = 0.2;

    private final BackendAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile double latencyEwmaMillis;

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
}
