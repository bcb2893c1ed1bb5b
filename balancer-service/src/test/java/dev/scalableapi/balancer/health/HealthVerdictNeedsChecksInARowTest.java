package dev.scalableapi.balancer.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.support.Pools;
import org.junit.jupiter.api.Test;

/** Two failed checks in a row mark a backend unhealthy, two passed ones healthy again (the defaults). */
class HealthVerdictNeedsChecksInARowTest {

    private final BackendPool pool = Pools.ofSize(2);
    private final Backend backend = pool.all().get(0);
    private final BackendHealth health = new BackendHealth(pool, 2, 2);

    @Test
    void twoFailedChecksInARowMarkItUnhealthyAndTwoPassedOnesHealthyAgain() {
        assertTrue(health.healthy(backend), "a new backend starts healthy");
        health.failed(backend, "Connection refused");
        assertTrue(health.healthy(backend));
        health.failed(backend, "status 503");
        assertFalse(health.healthy(backend));
        assertEquals("status 503", health.lastError(backend));
        assertTrue(health.healthy(pool.all().get(1)), "the other backend is untouched");

        health.passed(backend, false);
        assertFalse(health.healthy(backend));
        health.passed(backend, false);
        assertTrue(health.healthy(backend));
        assertNull(health.lastError(backend));
    }

    @Test
    void aCheckWithTheOtherResultStartsTheCountOver() {
        health.failed(backend, "status 503");
        health.passed(backend, false);
        health.failed(backend, "status 503");
        assertTrue(health.healthy(backend));

        health.failed(backend, "status 503");
        health.passed(backend, false);
        health.failed(backend, "status 503");
        health.passed(backend, false);
        assertFalse(health.healthy(backend));
    }

    @Test
    void aPassedCheckMarkedDegradedKeepsItInRotationAndSaysSo() {
        health.passed(backend, true);
        assertTrue(health.healthy(backend));
        assertTrue(health.degraded(backend));

        health.passed(backend, false);
        assertFalse(health.degraded(backend));
    }
}
