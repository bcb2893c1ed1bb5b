package dev.scalableapi.balancer.status;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.health.BackendHealth;
import dev.scalableapi.balancer.outlier.OutlierDetector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-backend metrics, registered when discovery adds a backend and removed when it goes:
 * {@code balancer_backend_requests_total{backend,outcome}} (success, server_error, connect_failure, reset,
 * timeout, cancelled — the client left first), {@code balancer_backend_latency_seconds} (histogram), {@code balancer_backend_in_flight},
 * {@code balancer_backend_healthy} (1/0), {@code balancer_backend_ejected} (0 closed, 1 open, 2 half-open),
 * {@code balancer_backend_ejections_total}.
 */
@ApplicationScoped
public class BackendMetrics {

    private static final java.util.List<String> OUTCOMES =
            java.util.List.of("success", "server_error", "connect_failure", "reset", "timeout", "cancelled");

    private final MeterRegistry registry;
    private final BackendPool pool;
    private final BackendHealth health;
    private final OutlierDetector outliers;
    private final Map<Backend, Meters> meters = new ConcurrentHashMap<>();

    /** A backend's per-attempt meters, resolved once when it is added rather than on every attempt. */
    private record Meters(Map<String, Counter> requests, Timer latency) {
    }

    BackendMetrics(MeterRegistry registry, BackendPool pool, BackendHealth health, OutlierDetector outliers) {
        this.registry = registry;
        this.pool = pool;
        this.health = health;
        this.outliers = outliers;
    }

    void start(@Observes StartupEvent event) {
        pool.onAdded(this::register);
        pool.onRemoved(this::unregister);
    }

    public void attempt(Backend backend, String outcome, long elapsedNanos) {
        Meters m = meters.computeIfAbsent(backend, this::meters); // normally present since register()
        m.requests().computeIfAbsent(outcome, o -> requests(backend, o)).increment();
        m.latency().record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    private void register(Backend backend) {
        Gauge.builder("balancer.backend.in.flight", backend, Backend::inFlight).tags(tags(backend))
                .register(registry);
        Gauge.builder("balancer.backend.healthy", backend, b -> health.healthy(b) ? 1 : 0).tags(tags(backend))
                .register(registry);
        Gauge.builder("balancer.backend.ejected", backend, b -> outliers.ejection(b).ordinal()).tags(tags(backend))
                .description("0 closed, 1 open (ejected), 2 half-open").register(registry);
        // Counters exist from the start (at 0): otherwise a backend's first ejection or failure only creates the
        // series, and increase()/rate() over it show nothing.
        Counter.builder("balancer.backend.ejections").tags(tags(backend)).register(registry);
        meters.put(backend, meters(backend));
    }

    private Meters meters(Backend backend) {
        Map<String, Counter> requests = new ConcurrentHashMap<>();
        for (String outcome : OUTCOMES) {
            requests.put(outcome, requests(backend, outcome));
        }
        return new Meters(requests, latency(backend));
    }

    private Counter requests(Backend backend, String outcome) {
        return Counter.builder("balancer.backend.requests").tags(tags(backend)).tag("outcome", outcome)
                .description("Attempts sent to a backend, by outcome").register(registry);
    }

    private Timer latency(Backend backend) {
        return Timer.builder("balancer.backend.latency").tags(tags(backend))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private void unregister(Backend backend) {
        meters.remove(backend);
        for (Meter meter : registry.getMeters()) {
            if (backend.id().equals(meter.getId().getTag("backend"))) {
                registry.remove(meter);
            }
        }
    }

    private static Tags tags(Backend backend) {
        return Tags.of("backend", backend.id());
    }
}
