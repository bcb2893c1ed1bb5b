package dev.scalableapi.gateway.ratelimit;

import java.util.function.LongSupplier;

/**
 * A small circuit breaker around the limiter's Redis calls: after {@code failureThreshold} failures in a row
 * it opens, and decisions skip Redis entirely (no timeout paid per request) until {@code openMillis} have
 * passed; then exactly one trial call goes to Redis (half-open) — success closes it, failure re-opens it.
 */
public class RedisBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long openMillis;
    private final LongSupplier clockMillis;

    private volatile State state = State.CLOSED;
    private volatile int consecutiveFailures;
    private long openedAt;

    public RedisBreaker(int failureThreshold, long openMillis, LongSupplier clockMillis) {
        this.failureThreshold = Math.max(1, failureThreshold);
        this.openMillis = openMillis;
        this.clockMillis = clockMillis;
    }

    /** Whether this call may go to Redis; in half-open state only the single trial call may. */
    public boolean tryAcquire() {
        if (state == State.CLOSED) {
            return true;
        }
        synchronized (this) {
            if (state == State.OPEN && clockMillis.getAsLong() - openedAt >= openMillis) {
                state = State.HALF_OPEN;
                return true;
            }
            return state == State.CLOSED;
        }
    }

    public void onSuccess() {
        if (state == State.CLOSED && consecutiveFailures == 0) {
            return;
        }
        synchronized (this) {
            consecutiveFailures = 0;
            state = State.CLOSED;
        }
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = clockMillis.getAsLong();
        }
    }

    public State state() {
        return state;
    }

    /** Until when (at the earliest) Redis is not asked again, as a delay. */
    public synchronized long millisUntilTrial() {
        return state == State.CLOSED ? 0 : Math.max(0, openMillis - (clockMillis.getAsLong() - openedAt));
    }
}
