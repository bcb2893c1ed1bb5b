package dev.scalableapi.gateway.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * The limiter's clock when {@code gateway.ratelimit.test-clock} is on (tests only): the system clock until a test
 * sets a time, then that time, frozen, until it is moved or released. Off (production), the limiter never asks it:
 * the Redis script reads Redis' own {@code TIME}.
 */
@ApplicationScoped
public class RateLimitClock {

    private static final long SYSTEM = Long.MIN_VALUE;

    private volatile long frozenAt = SYSTEM;

    public long millis() {
        long at = frozenAt;
        return at == SYSTEM ? System.currentTimeMillis() : at;
    }

    public void set(Instant at) {
        frozenAt = at.toEpochMilli();
    }

    public synchronized void advance(Duration by) {
        frozenAt = millis() + by.toMillis();
    }

    /** Back to the system clock. */
    public void release() {
        frozenAt = SYSTEM;
    }
}
