package dev.scalableapi.balancer.outlier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.outlier.OutlierDetector.Outcome;
import dev.scalableapi.balancer.support.OutlierSettings;
import dev.scalableapi.balancer.support.Pools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Ejection and readmission of one backend, with Envoy's defaults (5 failures, 30 s × n, at most 300 s). */
class EjectionFollowsTheClockTest {

    private static final long BASE = 30_000;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BackendPool pool = Pools.ofSize(2);
    private final Backend backend = pool.all().get(0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OutlierDetector outliers =
            new OutlierDetector(OutlierSettings.envoyDefaults(), pool, registry, now::get);

    @Test
    void fiveConsecutiveFailuresEjectForTheBaseTimeFourDoNot() {
        fail(backend, 4);
        assertEquals(Ejection.CLOSED, outliers.ejection(backend));
        assertTrue(outliers.admits(backend));

        outliers.record(backend, Outcome.GATEWAY_FAILURE);

        OutlierDetector.Status status = outliers.status(backend);
        assertEquals(Ejection.OPEN, status.ejection());
        assertEquals(now.get() + BASE, status.ejectedUntilMillis());
        assertEquals(1, status.ejections());
        assertFalse(outliers.admits(backend));
        assertEquals(1.0, registry.get("balancer.backend.ejections").tag("backend", backend.id()).counter().count());
        assertEquals(Ejection.CLOSED, outliers.ejection(pool.all().get(1)), "the other backend is untouched");
    }

    @Test
    void aSuccessStartsTheCountOverAndACancelledAttemptNeitherCountsNorResets() {
        fail(backend, 4);
        outliers.record(backend, Outcome.SUCCESS);
        fail(backend, 4);
        for (int i = 0; i < 10; i++) {
            outliers.record(backend, Outcome.CANCELLED);
        }
        assertEquals(Ejection.CLOSED, outliers.ejection(backend));
        assertEquals(4, outliers.status(backend).consecutiveFailures());

        outliers.record(backend, Outcome.SERVER_ERROR);
        assertEquals(Ejection.OPEN, outliers.ejection(backend));
    }

    @Test
    void aSharedDependencysFailureIsNoVerdictOnTheBackend() {
        fail(backend, 4);
        for (int i = 0; i < 100; i++) {
            outliers.record(backend, Outcome.DEPENDENCY_DOWN);
        }
        assertEquals(Ejection.CLOSED, outliers.ejection(backend));
        assertEquals(4, outliers.status(backend).consecutiveFailures(), "neither counted nor reset");

        outliers.record(backend, Outcome.SERVER_ERROR);
        now.addAndGet(BASE);
        assertTrue(outliers.admits(backend));
        assertTrue(outliers.acquire(backend));
        outliers.record(backend, Outcome.DEPENDENCY_DOWN);
        assertEquals(Ejection.HALF_OPEN, outliers.ejection(backend), "the trial says nothing either way");
        assertTrue(outliers.acquire(backend), "and its slot is free for the next trial");
    }

    @Test
    void aPickRacingALateFailureNeverKeepsTheTrialSlot() {
        fail(backend, 5);
        now.addAndGet(BASE);
        assertTrue(outliers.admits(backend), "a pick finds the time up: HALF_OPEN");
        // before the pick claims the slot, a request sent before the ejection fails: counted as the trial
        outliers.record(backend, Outcome.SERVER_ERROR);
        assertEquals(Ejection.OPEN, outliers.ejection(backend));
        assertFalse(outliers.acquire(backend), "no trial slot while OPEN");

        now.addAndGet(10 * BASE);
        assertTrue(outliers.admits(backend), "the next ejection's end still brings a trial");
        assertTrue(outliers.acquire(backend));
        outliers.record(backend, Outcome.SUCCESS);
        assertEquals(Ejection.CLOSED, outliers.ejection(backend));
    }

    @Test
    void whenTheTimeIsUpItTakesOneTrialAtATimeAndASuccessReadmitsIt() {
        fail(backend, 5);
        now.addAndGet(BASE - 1);
        assertFalse(outliers.admits(backend), "one millisecond early");
        assertEquals(Ejection.OPEN, outliers.ejection(backend));

        now.addAndGet(1);
        assertTrue(outliers.admits(backend));
        assertEquals(Ejection.HALF_OPEN, outliers.ejection(backend));
        assertTrue(outliers.acquire(backend), "the trial slot");
        assertFalse(outliers.admits(backend), "no second request while the trial runs");
        assertFalse(outliers.acquire(backend), "the trial slot is taken");

        outliers.record(backend, Outcome.SUCCESS);

        assertEquals(Ejection.CLOSED, outliers.ejection(backend));
        assertEquals(0, outliers.status(backend).ejectedUntilMillis());
        assertTrue(outliers.admits(backend));
        assertTrue(outliers.acquire(backend));
        assertTrue(outliers.acquire(backend), "closed: no limit on concurrent requests");
    }

    @Test
    void aCancelledTrialGivesTheSlotBack() {
        fail(backend, 5);
        now.addAndGet(BASE);
        assertTrue(outliers.admits(backend));
        assertTrue(outliers.acquire(backend));

        outliers.record(backend, Outcome.CANCELLED);

        assertEquals(Ejection.HALF_OPEN, outliers.ejection(backend));
        assertTrue(outliers.admits(backend));
        assertTrue(outliers.acquire(backend));
    }

    @Test
    void eachFailedTrialEjectsForAnotherBaseTimeUpToTheMaximum() {
        fail(backend, 5);
        long[] expected = {60_000, 90_000, 120_000, 150_000, 180_000, 210_000, 240_000, 270_000, 300_000, 300_000};
        for (long duration : expected) {
            now.set(outliers.status(backend).ejectedUntilMillis());
            assertTrue(outliers.admits(backend));
            assertTrue(outliers.acquire(backend));

            outliers.record(backend, Outcome.SERVER_ERROR); // a single failed trial is enough

            assertEquals(Ejection.OPEN, outliers.ejection(backend));
            assertEquals(now.get() + duration, outliers.status(backend).ejectedUntilMillis());
        }
        assertEquals(1 + expected.length, outliers.status(backend).ejections());
    }

    @Test
    void aBackendThatStayedInForLongerThanTheMaximumEjectionStartsOverAtTheBaseTime() {
        fail(backend, 5);
        readmitAfterTrial();
        now.addAndGet(300_000); // not longer than the maximum: the next ejection still lengthens
        fail(backend, 5);
        assertEquals(now.get() + 2 * BASE, outliers.status(backend).ejectedUntilMillis());

        now.set(outliers.status(backend).ejectedUntilMillis());
        readmitAfterTrial();
        now.addAndGet(300_001);
        fail(backend, 5);
        assertEquals(now.get() + BASE, outliers.status(backend).ejectedUntilMillis());
    }

    private void readmitAfterTrial() {
        now.set(Math.max(now.get(), outliers.status(backend).ejectedUntilMillis()));
        assertTrue(outliers.admits(backend));
        assertTrue(outliers.acquire(backend));
        outliers.record(backend, Outcome.SUCCESS);
        assertEquals(Ejection.CLOSED, outliers.ejection(backend));
    }

    private void fail(Backend target, int times) {
        for (int i = 0; i < times; i++) {
            outliers.record(target, Outcome.SERVER_ERROR);
        }
    }
}
