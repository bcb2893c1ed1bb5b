package dev.scalableapi.balancer.outlier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.outlier.OutlierDetector.Outcome;
import dev.scalableapi.balancer.support.OutlierSettings;
import dev.scalableapi.balancer.support.Pools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** At most 10 % of the backends are ejected at once, but at least one may always be. */
class NeverEjectsMoreThanTheAllowedShareTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void tenPercentOfTwentyBackendsIsTwo() {
        BackendPool pool = Pools.ofSize(20);
        OutlierDetector outliers = detector(pool);

        for (int i = 0; i < 3; i++) {
            fail(outliers, pool.all().get(i), 5);
        }

        assertEquals(Ejection.OPEN, outliers.ejection(pool.all().get(0)));
        assertEquals(Ejection.OPEN, outliers.ejection(pool.all().get(1)));
        assertEquals(Ejection.CLOSED, outliers.ejection(pool.all().get(2)), "a third would exceed 10 %");
        assertTrue(outliers.admits(pool.all().get(2)));
    }

    @Test
    void withFewerThanTenBackendsOneMayStillBeEjected() {
        BackendPool pool = Pools.ofSize(3);
        OutlierDetector outliers = detector(pool);

        fail(outliers, pool.all().get(0), 5);
        fail(outliers, pool.all().get(1), 5);

        assertEquals(Ejection.OPEN, outliers.ejection(pool.all().get(0)));
        assertEquals(Ejection.CLOSED, outliers.ejection(pool.all().get(1)));
    }

    @Test
    void anEjectionWhoseTimeIsUpNoLongerHoldsTheSlot() {
        BackendPool pool = Pools.ofSize(10);
        OutlierDetector outliers = detector(pool);
        Backend dead = pool.all().get(0);
        Backend failing = pool.all().get(1);
        fail(outliers, dead, 5);
        fail(outliers, failing, 5);
        assertEquals(Ejection.CLOSED, outliers.ejection(failing), "the only slot is taken");

        // The dead backend is never picked again (its health checks fail), so it stays OPEN past its time.
        now.addAndGet(30_000);
        fail(outliers, failing, 1);

        assertEquals(Ejection.OPEN, outliers.ejection(dead));
        assertEquals(Ejection.OPEN, outliers.ejection(failing));
    }

    @Test
    void aFailedTrialIsEjectedAgainEvenWhenTheShareIsFull() {
        BackendPool pool = Pools.ofSize(10);
        OutlierDetector outliers = detector(pool);
        Backend first = pool.all().get(0);
        Backend second = pool.all().get(1);
        fail(outliers, first, 5);
        now.addAndGet(30_000);
        assertTrue(outliers.admits(first));
        assertTrue(outliers.acquire(first));
        fail(outliers, second, 5);
        assertEquals(Ejection.OPEN, outliers.ejection(second), "the half-open one no longer holds the slot");

        fail(outliers, first, 1);

        assertEquals(Ejection.OPEN, outliers.ejection(first));
    }

    private OutlierDetector detector(BackendPool pool) {
        return new OutlierDetector(OutlierSettings.envoyDefaults(), pool, new SimpleMeterRegistry(), now::get);
    }

    private static void fail(OutlierDetector outliers, Backend backend, int times) {
        for (int i = 0; i < times; i++) {
            outliers.record(backend, Outcome.GATEWAY_FAILURE);
        }
    }
}
