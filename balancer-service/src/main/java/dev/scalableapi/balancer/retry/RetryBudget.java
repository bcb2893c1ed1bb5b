package dev.scalableapi.balancer.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps retries in flight at {@code max(minConcurrent, percent × active requests)}, so that when every backend
 * fails, retries cannot multiply the load (Envoy's retry budget). Exported as {@code balancer_active_requests},
 * {@code balancer_active_retries}, {@code balancer_retries_total{outcome="attempted"|"budget_exhausted"}}.
 */
@ApplicationScoped
public class RetryBudget {

    private final int budgetPercent;
    private final int minConcurrentRetries;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final Counter attempted;
    private final Counter exhausted;

    @Inject
    RetryBudget(RetryConfig config, MeterRegistry registry) {
        this(config.budgetPercent(), config.minConcurrentRetries(), registry);
    }

    RetryBudget(int budgetPercent, int minConcurrentRetries, MeterRegistry registry) {
        this.budgetPercent = budgetPercent;
        this.minConcurrentRetries = minConcurrentRetries;
        Gauge.builder("balancer.active.requests", activeRequests, AtomicInteger::get).register(registry);
        Gauge.builder("balancer.active.retries", activeRetries, AtomicInteger::get).register(registry);
        attempted = Counter.builder("balancer.retries").tag("outcome", "attempted").register(registry);
        exhausted = Counter.builder("balancer.retries").tag("outcome", "budget_exhausted").register(registry);
    }

    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    public void requestFinished() {
        activeRequests.decrementAndGet();
    }

    /** Takes a retry slot if the budget allows; the caller must {@link #retryFinished()} it. */
    public boolean tryAcquire() {
        while (true) {
            int retries = activeRetries.get();
            int allowed = Math.max(minConcurrentRetries, activeRequests.get() * budgetPercent / 100);
            if (retries >= allowed) {
                exhausted.increment();
                return false;
            }
            if (activeRetries.compareAndSet(retries, retries + 1)) {
                attempted.increment();
                return true;
            }
        }
    }

    public void retryFinished() {
        activeRetries.decrementAndGet();
    }

    public int activeRequests() {
        return activeRequests.get();
    }

    public int activeRetries() {
        return activeRetries.get();
    }

    public long attempted() {
        return (long) attempted.count();
    }

    public long exhausted() {
        return (long) exhausted.count();
    }
}
