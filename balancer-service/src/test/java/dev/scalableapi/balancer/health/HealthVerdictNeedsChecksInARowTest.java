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

        health.passed(backend);
        assertFalse(health.healthy(backend));
        health.passed(backend);
        assertTrue(health.healthy(backend));
        assertNull(health.lastError(backend));
    }

    @Test
    void aCheckWithTheOtherResultStartsTheCountOver() {
        health.failed(backend, "status 503");
        health.passed(backend);
        health.failed(backend, "status 503");
        assertTrue(health.healthy(backend));

        health.failed(backend, "status 503");
        health.passed(backend);
        health.failed(backend, "status 503");
        health.passed(backend);
        assertFalse(health.healthy(backend));
    }
}
