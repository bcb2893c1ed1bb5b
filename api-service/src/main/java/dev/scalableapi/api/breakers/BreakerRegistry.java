package dev.scalableapi.api.breakers;

import dev.scalableapi.api.cache.GuardedRedis;
import dev.scalableapi.api.external.ExternalService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The circuit breakers of this replica, their state and transitions: readable for the admin API and exported as
 * {@code api_circuit_breaker_state{name}} (0 closed, 1 open, 2 half-open) and
 * {@code api_circuit_breaker_transitions_total{name,to}}.
 */
@ApplicationScoped
public class BreakerRegistry {

    private static final Logger LOG = Logger.getLogger(BreakerRegistry.class);
    public static final List<String> NAMES = List.of(ExternalService.BREAKER, GuardedRedis.BREAKER);
    /** The guarded method of each breaker, as SmallRye Fault Tolerance tags its metrics. */
    private static final Map<String, String> METHODS = Map.of(
            ExternalService.BREAKER, ExternalService.class.getName() + ".fetch",
            GuardedRedis.BREAKER, GuardedRedis.class.getName() + ".send");

    @RegisterForReflection
    /** @param failures calls the breaker counted as failed since this replica started */
    public record BreakerView(String name, String state, long failures, long transitions, String lastTransitionAt) {
    }

    private final CircuitBreakerMaintenance maintenance;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> transitions = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Instant>> lastTransition = new ConcurrentHashMap<>();

    BreakerRegistry(CircuitBreakerMaintenance maintenance, MeterRegistry registry) {
        this.maintenance = maintenance;
        this.registry = registry;
    }

    void watch(@Observes StartupEvent event) {
        for (String name : NAMES) {
            transitions.put(name, new AtomicLong());
            lastTransition.put(name, new AtomicReference<>());
            Gauge.builder("api.circuit.breaker.state", () -> ordinal(maintenance.currentState(name)))
                    .tag("name", name)
                    .description("0 closed, 1 open, 2 half-open")
                    .register(registry);
            // Registered at zero before the first transition: Prometheus' increase() cannot see the step of a
            // series that appears already at 1, and the flapping alert counts these.
            Map<CircuitBreakerState, Counter> counters = new EnumMap<>(CircuitBreakerState.class);
            for (CircuitBreakerState state : CircuitBreakerState.values()) {
                counters.put(state, Counter.builder("api.circuit.breaker.transitions").tag("name", name)
                        .tag("to", state.name().toLowerCase()).register(registry));
            }
            maintenance.onStateChange(name, state -> {
                transitions.get(name).incrementAndGet();
                lastTransition.get(name).set(Instant.now());
                counters.get(state).increment();
                LOG.infof("Circuit breaker %s is now %s", name, state);
            });
        }
    }

    public List<BreakerView> all() {
        return NAMES.stream().map(this::view).toList();
    }

    public boolean exists(String name) {
        return NAMES.contains(name);
    }

    /** Closes the breaker; resetting one that was not closed counts as a transition (Fault Tolerance is silent). */
    public BreakerView reset(String name) {
        boolean wasClosed = maintenance.currentState(name) == CircuitBreakerState.CLOSED;
        maintenance.reset(name);
        if (!wasClosed) {
            transitions.get(name).incrementAndGet();
            lastTransition.get(name).set(Instant.now());
            LOG.infof("Circuit breaker %s reset to CLOSED", name);
        }
        return view(name);
    }

    private BreakerView view(String name) {
        Instant last = lastTransition.get(name) == null ? null : lastTransition.get(name).get();
        return new BreakerView(name, maintenance.currentState(name).name(), failures(name),
                transitions.getOrDefault(name, new AtomicLong()).get(), last == null ? null : last.toString());
    }

    /** From Fault Tolerance's own {@code ft_circuitbreaker_calls_total{circuitBreakerResult="failure"}}. */
    private long failures(String name) {
        return (long) registry.find("ft.circuitbreaker.calls.total").tag("method", METHODS.get(name))
                .tag("circuitBreakerResult", "failure").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double ordinal(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }
}
