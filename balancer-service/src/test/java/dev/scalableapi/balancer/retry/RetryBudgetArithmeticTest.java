package dev.scalableapi.balancer.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Retries in flight ≤ max(3, 20 % of active requests), Envoy's defaults. */
class RetryBudgetArithmeticTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RetryBudget budget = new RetryBudget(20, 3, registry);

    @Test
    void withFewRequestsTheMinimumOfThreeRetriesApplies() {
        active(14); // 20 % of 14 is 2
        assertEquals(3, acquireAll());
    }

    @Test
    void withManyRequestsTwentyPercentApplies() {
        active(50);
        assertEquals(10, acquireAll());
        active(5); // 55: 20 % is 11
        assertTrue(budget.tryAcquire());
        assertFalse(budget.tryAcquire());
    }

    @Test
    void aFinishedRetryFreesItsSlotAndFewerActiveRequestsShrinkTheBudget() {
        active(50);
        acquireAll();
        budget.retryFinished();
        assertTrue(budget.tryAcquire());

        for (int i = 0; i < 25; i++) {
            budget.requestFinished();
        }
        budget.retryFinished();
        assertFalse(budget.tryAcquire(), "25 active allow 5 retries, and 9 are still running");
        assertEquals(9, budget.activeRetries());
        assertEquals(25, budget.activeRequests());
    }

    @Test
    void attemptsAndRefusalsAreCountedAndExported() {
        active(10);
        acquireAll(); // 3 attempted, then one refused
        assertFalse(budget.tryAcquire());

        assertEquals(3, budget.attempted());
        assertEquals(2, budget.exhausted());
        assertEquals(3.0, registry.get("balancer.retries").tag("outcome", "attempted").counter().count());
        assertEquals(2.0, registry.get("balancer.retries").tag("outcome", "budget_exhausted").counter().count());
        assertEquals(10.0, registry.get("balancer.active.requests").gauge().value());
        assertEquals(3.0, registry.get("balancer.active.retries").gauge().value());
    }

    private void active(int requests) {
        for (int i = 0; i < requests; i++) {
            budget.requestStarted();
        }
    }

    /** Takes retry slots until the budget refuses one; returns how many it gave. */
    private int acquireAll() {
        int acquired = 0;
        while (budget.tryAcquire()) {
            acquired++;
        }
        return acquired;
    }
}
